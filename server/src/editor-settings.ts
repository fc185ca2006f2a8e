/**
 * The editor's schemabranch settings as a fallback configuration: they apply
 * only when the workspace has no schemabranch.json, because the file is what
 * the CLI reads too and the two must not disagree.
 */
import type { WorkspaceConfig } from '../../engine/src/config/index.js';
import type { LintSeverity } from '../../engine/src/config/types.js';
import type { EditorSettings } from './protocol.js';

/** workspace/didChangeConfiguration's raw `schemabranch` section -> EditorSettings. */
export function settingsFromSection(section: unknown): EditorSettings | undefined {
  if (!section || typeof section !== 'object') return undefined;
  const s = section as Record<string, unknown>;
  const connection = s.connection && typeof s.connection === 'object' ? (s.connection as Record<string, unknown>) : {};
  const lint = s.lint && typeof s.lint === 'object' ? (s.lint as Record<string, unknown>) : {};
  const url = s['connection.url'] ?? connection.url;
  const severity = s['lint.severity'] ?? lint.severity;
  return {
    connectionUrl: typeof url === 'string' ? url : undefined,
    schemaFolder: typeof s.schemaFolder === 'string' ? s.schemaFolder : undefined,
    revertWindowMinutes: typeof s.revertWindowMinutes === 'number' ? s.revertWindowMinutes : undefined,
    gatedDeploys: typeof s.gatedDeploys === 'boolean' ? s.gatedDeploys : undefined,
    lintSeverity: severity && typeof severity === 'object' ? (severity as Record<string, string>) : undefined,
  };
}

export function applyEditorSettings(config: WorkspaceConfig, settings: EditorSettings | undefined): WorkspaceConfig {
  if (!settings || config.file !== undefined) return config;
  return {
    ...config,
    schemaDir: settings.schemaFolder?.trim() || config.schemaDir,
    connection: { ...config.connection, url: settings.connectionUrl?.trim() || config.connection.url },
    revertWindowMinutes: settings.revertWindowMinutes ?? config.revertWindowMinutes,
    gatedDeploys: settings.gatedDeploys ?? config.gatedDeploys,
    lint: { ...config.lint, severity: { ...config.lint.severity, ...((settings.lintSeverity ?? {}) as Record<string, LintSeverity>) } },
  };
}
