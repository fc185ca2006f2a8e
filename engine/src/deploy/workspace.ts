/**
 * DeployRequests for a workspace: its schemabranch.json mapped onto the
 * engine's options, so the CLI and the language server build it the same way.
 */
import { branchDatabase } from '../branch/names.js';
import { lintConfigOf } from '../config/lint.js';
import type { WorkspaceConfig } from '../config/types.js';
import { parseServerUrl, type ServerTarget } from '../db/target.js';
import type { DeployRequestsOptions } from './core.js';
import { DeployRequests } from './requests.js';

export function deployRequestsOptions(config: WorkspaceConfig, target: ServerTarget): DeployRequestsOptions {
  return {
    target,
    mainDatabase: config.database,
    branchDatabase: (branch) => branchDatabase(config, branch),
    lint: lintConfigOf(config),
    revertWindowSeconds: Math.round(config.revertWindowMinutes * 60),
    // A replica is reached as the primary is: the same password, never one written in the file.
    migration: { ...config.migration, replicas: config.migration.replicas.map((url) => parseServerUrl(url, target.password)) },
    requireApprovals: config.requireApprovals,
  };
}

export function deployRequestsFor(config: WorkspaceConfig, target: ServerTarget, overrides: Partial<DeployRequestsOptions> = {}): DeployRequests {
  return new DeployRequests({ ...deployRequestsOptions(config, target), ...overrides });
}
