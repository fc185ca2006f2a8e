/**
 * The deploy request page's document: a strict Content-Security-Policy, the
 * style and the small script, both allowed by a nonce that changes with every
 * document. The script only forwards clicks (a command id or a lint rule's
 * index) and swaps in sections the extension sends: it never builds HTML
 * itself, and an injected handler or script could not run under this policy.
 */
import { escapeHtml, SECTION_IDS, type Sections } from './deployPageHtml.js';

/** The policy: nothing by default, no remote or local resource, style and script only with the nonce. */
export function contentSecurityPolicy(nonce: string): string {
  return `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src 'none'; font-src 'none'; connect-src 'none'; frame-src 'none'; form-action 'none'; base-uri 'none'`;
}

/** Theme variables only (--vscode-*): light, dark and high contrast themes change every colour. */
export const PAGE_STYLE = `
:root { color-scheme: light dark; }
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 20px 24px; line-height: 1.45; }
main { max-width: 1100px; }
h1 { font-size: 1.5em; font-weight: 600; margin: 16px 0 4px; }
h2 { font-size: 1.15em; font-weight: 600; margin: 22px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--vscode-widget-border, var(--vscode-panel-border)); }
h3 { font-size: 1em; font-weight: 600; margin: 12px 0 6px; }
.number, .muted, .facts, .hint { color: var(--vscode-descriptionForeground); }
.branch { font-family: var(--vscode-editor-font-family); }
code { font-family: var(--vscode-editor-font-family); }
.state { display: flex; align-items: center; gap: 6px; margin: 4px 0; font-weight: 600; }
.facts { margin: 2px 0; }
.icon { flex: none; width: 16px; height: 16px; vertical-align: text-bottom; margin-right: 4px; color: var(--vscode-foreground); }
.color-charts-green { color: var(--vscode-charts-green); }
.color-charts-blue { color: var(--vscode-charts-blue); }
.color-charts-yellow { color: var(--vscode-charts-yellow); }
.color-charts-orange { color: var(--vscode-charts-orange); }
.color-charts-red { color: var(--vscode-charts-red); }
.color-charts-purple { color: var(--vscode-charts-purple); }
.color-editorError-foreground { color: var(--vscode-editorError-foreground); }
.color-editorWarning-foreground { color: var(--vscode-editorWarning-foreground); }
.color-editorInfo-foreground { color: var(--vscode-editorInfo-foreground); }
.spin { animation: spin 1.2s linear infinite; }
@keyframes spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .spin { animation: none; } }
.toolbar { display: flex; flex-wrap: wrap; gap: 8px; margin: 14px 0 4px; }
button { font: inherit; padding: 4px 12px; border-radius: 2px; cursor: pointer; border: 1px solid var(--vscode-button-border, transparent); }
button.primary { color: var(--vscode-button-foreground); background: var(--vscode-button-background); }
button.primary:hover:not(:disabled) { background: var(--vscode-button-hoverBackground); }
button.secondary { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); }
button.secondary:hover:not(:disabled) { background: var(--vscode-button-secondaryHoverBackground); }
button:disabled { opacity: 0.5; cursor: not-allowed; }
button.link { color: var(--vscode-textLink-foreground); background: none; border: none; padding: 0 2px; text-decoration: underline; }
button.link:hover { color: var(--vscode-textLink-activeForeground); }
button:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 2px; }
.callout { display: flex; gap: 8px; align-items: flex-start; padding: 8px 10px; margin: 10px 0; border: 1px solid; border-radius: 2px; }
.callout.error { background: var(--vscode-inputValidation-errorBackground); border-color: var(--vscode-inputValidation-errorBorder); }
.callout.warning { background: var(--vscode-inputValidation-warningBackground); border-color: var(--vscode-inputValidation-warningBorder); }
.countdown { font-variant-numeric: tabular-nums; }
table.grid { border-collapse: collapse; width: 100%; }
table.grid th, table.grid td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--vscode-widget-border, var(--vscode-panel-border)); vertical-align: top; }
table.grid thead th { color: var(--vscode-descriptionForeground); font-weight: 600; }
.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
progress { width: 140px; height: 8px; vertical-align: middle; -webkit-appearance: none; appearance: none; border: 1px solid var(--vscode-widget-border, transparent); }
progress::-webkit-progress-bar { background: var(--vscode-input-background); }
progress::-webkit-progress-value { background: var(--vscode-progressBar-background); }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 0.85em; font-weight: 600; color: var(--vscode-badge-foreground); background: var(--vscode-badge-background); }
.badge.class-destructive { color: var(--vscode-editorError-foreground); background: transparent; border: 1px solid var(--vscode-editorError-foreground); }
.badge.class-data-dependent, .badge.class-needs-decision { color: var(--vscode-editorWarning-foreground); background: transparent; border: 1px solid var(--vscode-editorWarning-foreground); }
.table-diff { margin: 8px 0 14px; }
pre.sql { margin: 6px 0; padding: 8px 10px; white-space: pre-wrap; word-break: break-word; background: var(--vscode-textCodeBlock-background); border: 1px solid var(--vscode-widget-border, transparent); border-radius: 2px; font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); }
.tok-keyword { color: var(--vscode-symbolIcon-keywordForeground); font-weight: 600; }
.tok-identifier { color: var(--vscode-symbolIcon-variableForeground); }
.tok-string { color: var(--vscode-symbolIcon-stringForeground); }
.tok-number { color: var(--vscode-symbolIcon-numberForeground); }
.tok-operator { color: var(--vscode-symbolIcon-operatorForeground); }
.tok-comment { color: var(--vscode-descriptionForeground); font-style: italic; }
ul.reasons, ul.findings, ul.reviews { list-style: none; padding-left: 0; margin: 4px 0; }
ul.reasons li { margin: 2px 0; }
ul.findings li { display: flex; gap: 6px; margin: 6px 0; }
ul.findings p, ul.reviews p { margin: 2px 0; }
ul.reviews li { margin: 8px 0; }
.verdict { display: flex; gap: 6px; align-items: center; margin: 4px 0; }
blockquote { margin: 4px 0 0 22px; padding: 2px 10px; white-space: pre-wrap; border-left: 3px solid var(--vscode-textBlockQuote-border); background: var(--vscode-textBlockQuote-background); }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
#sb-revert:empty, #sb-copy:empty, #sb-history:empty, #sb-actions:empty { display: none; }
`;

/**
 * Forwards clicks and swaps sections. A section whose HTML did not change is
 * left alone; the focused element is focused again by its id when its section
 * was replaced, so a keyboard user does not lose their place on every update.
 */
export const PAGE_SCRIPT = `
(function () {
  const vscode = acquireVsCodeApi();
  document.addEventListener('click', function (e) {
    const target = e.target instanceof Element ? e.target : null;
    const run = target && target.closest('button[data-command]');
    if (run && !run.disabled) { vscode.postMessage({ type: 'run', command: run.getAttribute('data-command') }); return; }
    const doc = target && target.closest('button[data-doc]');
    if (doc) vscode.postMessage({ type: 'openDoc', index: Number(doc.getAttribute('data-doc')) });
  });
  window.addEventListener('message', function (e) {
    const m = e.data;
    if (!m || m.type !== 'sections' || typeof m.sections !== 'object') return;
    const focused = document.activeElement && document.activeElement.id ? document.activeElement.id : undefined;
    for (const id of Object.keys(m.sections)) {
      const el = document.getElementById(id);
      if (el && typeof m.sections[id] === 'string') el.innerHTML = m.sections[id];
    }
    if (focused && document.activeElement && document.activeElement.id !== focused) {
      const again = document.getElementById(focused);
      if (again) again.focus();
    }
  });
  vscode.postMessage({ type: 'ready' });
})();
`;

/** The whole document, first drawn with `sections`; later updates arrive as messages. */
export function pageDocument(sections: Sections, opts: { nonce: string; title: string }): string {
  const nonce = escapeHtml(opts.nonce);
  const body = SECTION_IDS.map((id) => `<div id="${id}">${sections[id]}</div>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(opts.title)}</title>
<style nonce="${nonce}">${PAGE_STYLE}</style>
</head>
<body>
<main>
${body}
</main>
<script nonce="${nonce}">${PAGE_SCRIPT}</script>
</body>
</html>`;
}
