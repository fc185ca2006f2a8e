/**
 * The deploy request page as HTML: pure functions from a PageView to strings.
 * Branch names, statements, lint messages, comments and actors come from the
 * repository and the database server, so every one of them goes through
 * escapeHtml; the page's Content-Security-Policy (no inline handlers, scripts
 * and styles only with the nonce, nothing remote) is the second wall.
 * Colours are VS Code's theme variables only, so light, dark and high
 * contrast themes all apply.
 */
import { formatEta } from './progressText.js';
import type { DeployEventInfo, DeployRequestPageInfo, LintFinding, SchemaChangeInfo, SqlSpan } from './protocol.js';
import { formatRemaining } from './revertStatus.js';
import { plural, relativeTime, stateIcon, stateLabel } from './treeModel.js';
import type { PageButton, PageView, TableCopy } from './deployPage.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** `2026-11-30 19:57:37 UTC`, or the text as given when it is not a time. */
export function formatTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} UTC` : iso;
}

function time(iso: string, now: number): string {
  const rel = relativeTime(iso, now);
  return `<time datetime="${escapeHtml(iso)}" title="${escapeHtml(formatTime(iso))}">${escapeHtml(formatTime(iso))}${rel ? ` (${escapeHtml(rel)})` : ''}</time>`;
}

// ---------------------------------------------------------------- icons (inline SVG: no font, no remote resource)

const STROKE = 'fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round"';
const RING = `<circle cx="8" cy="8" r="6" ${STROKE}/>`;
const ICONS: Record<string, string> = {
  'git-pull-request': `${RING}<circle cx="8" cy="8" r="2.2" fill="currentColor"/>`,
  clock: `${RING}<path d="M8 4.6V8l2.4 1.6" ${STROKE}/>`,
  'sync~spin': `<path d="M13.2 8A5.2 5.2 0 1 1 11.7 4.3" ${STROKE}/><path d="M12.6 1.6v3.6H9" ${STROKE}/>`,
  'debug-pause': `<path d="M5.5 3.5v9M10.5 3.5v9" ${STROKE} stroke-width="2"/>`,
  history: `<path d="M2.8 8A5.2 5.2 0 1 0 4.3 4.3" ${STROKE}/><path d="M3.4 1.6v3.6H7" ${STROKE}/><path d="M8 5.2V8l2 1.3" ${STROKE}/>`,
  pass: `${RING}<path d="M5.2 8.3l1.9 1.9 3.8-4" ${STROKE}/>`,
  discard: `<path d="M4 6.5h5.5a3 3 0 0 1 0 6H6" ${STROKE}/><path d="M6.5 4L4 6.5 6.5 9" ${STROKE}/>`,
  'circle-slash': `${RING}<path d="M3.8 12.2l8.4-8.4" ${STROKE}/>`,
  close: `<path d="M4 4l8 8M12 4l-8 8" ${STROKE}/>`,
  warning: `<path d="M8 2L14.5 13.5h-13z" ${STROKE}/><path d="M8 6.5v3.2M8 11.6v.1" ${STROKE}/>`,
  error: `${RING}<path d="M5.8 5.8l4.4 4.4M10.2 5.8l-4.4 4.4" ${STROKE}/>`,
  info: `${RING}<path d="M8 7.2v4M8 4.9v.1" ${STROKE}/>`,
  question: `${RING}<path d="M6.3 6.3a1.8 1.8 0 1 1 2.4 1.7c-.5.2-.7.6-.7 1.1M8 11.4v.1" ${STROKE}/>`,
};

/** A decorative icon: the words next to it say the same, so screen readers skip it. */
export function icon(name: string, colorId?: string): string {
  const cls = ['icon', name === 'sync~spin' ? 'spin' : '', colorId ? `color-${colorId.replace(/\./g, '-')}` : ''].filter(Boolean).join(' ');
  return `<svg class="${cls}" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">${ICONS[name] ?? ICONS.question}</svg>`;
}

// ---------------------------------------------------------------- SQL

/** A statement with each token in a span of its kind; the text between tokens as it is. */
export function highlightSql(statement: string, spans: readonly SqlSpan[]): string {
  let out = '';
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    // Offsets come from the server: a span that overlaps, runs back or past the end is left as plain text.
    if (s.start < at || s.end <= s.start || s.end > statement.length) continue;
    out += escapeHtml(statement.slice(at, s.start));
    out += `<span class="tok-${s.kind}">${escapeHtml(statement.slice(s.start, s.end))}</span>`;
    at = s.end;
  }
  return out + escapeHtml(statement.slice(at));
}

// ---------------------------------------------------------------- sections

/** The page's parts, each replaced on its own when it changes (the focus and the scroll stay where they are). */
export const SECTION_IDS = ['sb-header', 'sb-actions', 'sb-revert', 'sb-copy', 'sb-changes', 'sb-lint', 'sb-reviews', 'sb-history'] as const;
export type SectionId = (typeof SECTION_IDS)[number];
export type Sections = Record<SectionId, string>;

function header(info: DeployRequestPageInfo, now: number): string {
  const { icon: name, color } = stateIcon(info.state);
  const state = `${stateLabel(info.state)}${info.state === 'in_progress' && info.paused ? ' (paused)' : ''}`;
  const facts = [
    `opened by <strong>${escapeHtml(info.openedBy)}</strong> ${time(info.createdAt, now)}`,
    `database <code>${escapeHtml(info.targetDatabase)}</code>`,
    escapeHtml(plural(info.changes.length, 'change')),
    info.deployable ? 'deployable' : '<strong>not deployable</strong>',
  ];
  const when = [
    info.startedAt ? `started ${time(info.startedAt, now)}` : '',
    info.cutOverAt ? `cut over ${time(info.cutOverAt, now)}` : '',
    info.finishedAt ? `finished ${time(info.finishedAt, now)}` : '',
  ].filter(Boolean);
  const error = info.error
    ? `<div class="callout error" role="alert">${icon('error', 'charts.red')}<div><strong>${info.error.retrySafe ? 'Failed; deploying again is safe.' : 'Failed; check before retrying.'}</strong> ${escapeHtml(info.error.message)}</div></div>`
    : '';
  const notes = info.notes ? `<p class="notes">${escapeHtml(info.notes)}</p>` : '';
  return (
    `<h1><span class="number">#${info.number}</span> <span class="branch">${escapeHtml(info.branch)}</span> <span class="arrow" aria-label="into">→</span> <span class="branch">${escapeHtml(info.into)}</span></h1>` +
    `<p class="state state-${escapeHtml(info.state)}" role="status">${icon(name, color)}<span class="state-label">${escapeHtml(state)}</span></p>` +
    `<p class="facts">${facts.join(' · ')}</p>` +
    (when.length ? `<p class="facts">${when.join(' · ')}</p>` : '') +
    notes +
    error
  );
}

function button(b: PageButton): string {
  const id = `sb-btn-${b.command.replace(/^schemabranch\./, '')}`;
  const cls = b.primary ? 'primary' : 'secondary';
  const disabled = b.disabled ? ` disabled aria-describedby="${id}-why"` : '';
  return `<button type="button" id="${escapeHtml(id)}" class="${cls}" data-command="${escapeHtml(b.command)}"${disabled}>${escapeHtml(b.label)}</button>`;
}

function actions(buttons: readonly PageButton[]): string {
  if (buttons.length === 0) return '';
  const why = buttons
    .filter((b) => b.disabled)
    .map((b) => `<p class="hint" id="sb-btn-${escapeHtml(b.command.replace(/^schemabranch\./, ''))}-why">${escapeHtml(b.disabled ?? '')}</p>`)
    .join('');
  return `<div class="toolbar" role="toolbar" aria-label="Actions">${buttons.map(button).join('')}</div>${why}`;
}

function revert(view: PageView, now: number): string {
  const w = view.window;
  if (!w) return '';
  const tables = w.tables.length ? w.tables : [...new Set(view.info.changes.map((c) => c.table))];
  return (
    `<div class="callout warning">${icon('history', 'charts.yellow')}<div>` +
    `<strong>Revert window: <span class="countdown">${formatRemaining(w.deadline - now)}</span> left</strong> (closes ${escapeHtml(formatTime(new Date(w.deadline).toISOString()))}). ` +
    `Revert swaps the previous schema of ${tables.map((t) => `<code>${escapeHtml(t)}</code>`).join(', ')} back; rows written since the deploy are kept.` +
    `</div></div>`
  );
}

const PHASE_WORDS: Record<NonNullable<TableCopy['phase']>, string> = {
  copying: 'copying',
  'catching-up': 'applying changes made during the copy',
  'waiting-cutover': 'waiting for cut-over',
  'cutting-over': 'cutting over',
  done: 'done',
};

function copyStatus(t: TableCopy): string {
  if (t.paused) return '<strong>paused</strong> (Resume goes on)';
  if (t.throttled) return `throttled: ${escapeHtml(t.throttled)}`;
  return t.phase ? escapeHtml(PHASE_WORDS[t.phase]) : '';
}

function copy(view: PageView): string {
  if (view.copy.length === 0) return '';
  const rows = view.copy
    .map((t) => {
      const pct = Math.max(0, Math.min(100, Math.floor(t.percent)));
      return (
        `<tr><th scope="row"><code>${escapeHtml(t.table)}</code></th>` +
        `<td class="num">${t.rowsCopied.toLocaleString('en-US')} / ${t.rowsTotal.toLocaleString('en-US')}</td>` +
        `<td><progress max="100" value="${pct}" aria-label="${escapeHtml(t.table)} copied">${pct}%</progress> <span class="num">${pct}%</span></td>` +
        `<td class="num">${t.rowsPerSecond ? `${Math.round(t.rowsPerSecond).toLocaleString('en-US')}` : '–'}</td>` +
        `<td class="num">${t.etaSeconds !== undefined ? formatEta(t.etaSeconds) : '–'}</td>` +
        `<td>${copyStatus(t)}</td></tr>`
      );
    })
    .join('');
  return `<h2>Row copy</h2><table class="grid"><thead><tr><th scope="col">Table</th><th scope="col">Rows</th><th scope="col">Copied</th><th scope="col">Rows/s</th><th scope="col">ETA</th><th scope="col">Status</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function classBadge(c: SchemaChangeInfo['class']): string {
  return `<span class="badge class-${escapeHtml(c)}">${escapeHtml(c)}</span>`;
}

const WORST: SchemaChangeInfo['class'][] = ['destructive', 'needs-decision', 'data-dependent', 'safe'];

function changes(info: DeployRequestPageInfo): string {
  if (info.changes.length === 0) return '<h2>Changes</h2><p class="muted">No schema changes.</p>';
  const byTable = new Map<string, DeployRequestPageInfo['changes']>();
  for (const c of info.changes) byTable.set(c.table, [...(byTable.get(c.table) ?? []), c]);
  const tables = [...byTable].map(([table, list]) => {
    const worst = WORST.find((w) => list.some((c) => c.class === w)) ?? 'safe';
    const statements = list
      .map((c) => {
        const reasons = c.reasons.length
          ? `<ul class="reasons">${c.reasons.map((r) => `<li>${classBadge(r.class)} ${escapeHtml(r.message)} <code class="muted">${escapeHtml(r.code)}</code></li>`).join('')}</ul>`
          : '';
        return `<pre class="sql"><code>${highlightSql(c.statement, c.spans)};</code></pre>${reasons}`;
      })
      .join('');
    return `<section class="table-diff" aria-label="${escapeHtml(table)}"><h3><code>${escapeHtml(table)}</code> ${classBadge(worst)}</h3>${statements}</section>`;
  });
  return `<h2>Changes <span class="muted">(${escapeHtml(plural(info.changes.length, 'statement'))}, ${escapeHtml(plural(byTable.size, 'table'))})</span></h2>${tables.join('')}`;
}

function severityIcon(s: LintFinding['severity']): string {
  return s === 'error' ? icon('error', 'editorError.foreground') : s === 'warning' ? icon('warning', 'editorWarning.foreground') : icon('info', 'editorInfo.foreground');
}

function lint(info: DeployRequestPageInfo): string {
  const verdict = info.deployable
    ? `<p class="verdict">${icon('pass', 'charts.green')}<strong>Deployable</strong></p>`
    : `<p class="verdict">${icon('error', 'charts.red')}<strong>Not deployable</strong></p>`;
  const reasons = info.notDeployableReasons.length ? `<ul class="reasons">${info.notDeployableReasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>` : '';
  const findings = info.lint
    .map((f, i) => {
      const where = f.table ? ` <span class="muted">${escapeHtml(f.table)}${f.column ? `.${escapeHtml(f.column)}` : ''}</span>` : '';
      const doc = f.doc ? ` <button type="button" class="link" id="sb-doc-${i}" data-doc="${i}">About ${escapeHtml(f.code)}</button>` : ` <code>${escapeHtml(f.code)}</code>`;
      const suggestion = f.suggestion ? `<p class="muted">${escapeHtml(f.suggestion)}</p>` : '';
      return `<li>${severityIcon(f.severity)}<div><span class="sr">${escapeHtml(f.severity)}: </span>${escapeHtml(f.message)}${where}${doc}${suggestion}</div></li>`;
    })
    .join('');
  return `<h2>Lint</h2>${verdict}${reasons}${findings ? `<ul class="findings">${findings}</ul>` : '<p class="muted">No lint findings.</p>'}`;
}

function reviews(info: DeployRequestPageInfo, now: number): string {
  const need = info.requiredApprovals;
  const count = `${plural(info.approvers.length, 'approval')} of the current statements${info.approvers.length ? ` (${info.approvers.map(escapeHtml).join(', ')})` : ''}`;
  const summary = `<p>${count}${need > 0 ? `; ${need} required to deploy` : ''}.</p>`;
  const list = info.reviews
    .map((r) => {
      const what = r.kind === 'approve' ? `${icon('pass', 'charts.green')}<strong>${escapeHtml(r.actor)}</strong> approved` : `${icon('info')}<strong>${escapeHtml(r.actor)}</strong> commented`;
      const stale = r.current ? '' : ' <span class="muted">(on earlier statements)</span>';
      const body = r.body ? `<blockquote>${escapeHtml(r.body)}</blockquote>` : '';
      return `<li><p>${what} ${time(r.at, now)}${stale}</p>${body}</li>`;
    })
    .join('');
  return `<h2>Reviews</h2>${summary}${list ? `<ul class="reviews">${list}</ul>` : '<p class="muted">No reviews or comments yet.</p>'}`;
}

function move(e: DeployEventInfo): string {
  return e.from && e.from !== e.to ? `${escapeHtml(stateLabel(e.from))} → ${escapeHtml(stateLabel(e.to))}` : escapeHtml(stateLabel(e.to));
}

function history(info: DeployRequestPageInfo, now: number): string {
  if (info.history.length === 0) return '';
  const rows = info.history.map((e) => `<tr><td>${time(e.at, now)}</td><td>${move(e)}</td><td>${escapeHtml(e.message)}</td><td>${escapeHtml(e.actor)}</td></tr>`).join('');
  return `<h2>History</h2><table class="grid"><thead><tr><th scope="col">When</th><th scope="col">State</th><th scope="col">What</th><th scope="col">By</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function renderSections(view: PageView, now: number): Sections {
  return {
    'sb-header': header(view.info, now),
    'sb-actions': actions(view.buttons),
    'sb-revert': revert(view, now),
    'sb-copy': copy(view),
    'sb-changes': changes(view.info),
    'sb-lint': lint(view.info),
    'sb-reviews': reviews(view.info, now),
    'sb-history': history(view.info, now),
  };
}

/** Shown until the server answers, or instead of the page when it cannot. */
export function messageSections(text: string): Sections {
  const empty = Object.fromEntries(SECTION_IDS.map((id) => [id, ''])) as Sections;
  return { ...empty, 'sb-header': `<p class="muted">${escapeHtml(text)}</p>` };
}
