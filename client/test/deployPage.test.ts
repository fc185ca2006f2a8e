import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { headingLine, pageButtons, pageMessage, pageView } from '../src/deployPage.js';
import { contentSecurityPolicy, PAGE_STYLE, pageDocument } from '../src/deployPageDocument.js';
import { escapeHtml, highlightSql, messageSections, renderSections, SECTION_IDS } from '../src/deployPageHtml.js';
import { Commands, type DeployRequestPageInfo } from '../src/protocol.js';

const HOSTILE = '</script><img src=x onerror=alert(1)>';
const NOW = Date.parse('2026-11-30T20:00:00Z');

function page(over: Partial<DeployRequestPageInfo> = {}): DeployRequestPageInfo {
  const statement = "ALTER TABLE `coupons` MODIFY COLUMN `discount_amount` decimal(10,2) DEFAULT '0.00'";
  return {
    number: 3,
    branch: 'fix-coupons',
    into: 'main',
    state: 'open',
    deployable: true,
    createdAt: '2026-11-30T19:55:00Z',
    updatedAt: '2026-11-30T19:55:00Z',
    openedBy: 'root@localhost',
    targetDatabase: 'shop',
    changes: [
      {
        table: 'coupons',
        kind: 'alter_table',
        statement,
        class: 'data-dependent',
        reasons: [{ class: 'data-dependent', code: 'data-dependent-change', message: 'discount_amount: float to decimal(10,2) may round values' }],
        spans: [
          { start: 0, end: 5, kind: 'keyword' },
          { start: 6, end: 11, kind: 'keyword' },
          { start: 12, end: 21, kind: 'identifier' },
          { start: statement.indexOf("'0.00'"), end: statement.indexOf("'0.00'") + 6, kind: 'string' },
        ],
      },
    ],
    lint: [{ code: 'float-double', severity: 'warning', message: 'coupons.discount_amount is FLOAT', table: 'coupons', doc: 'file:///ext/docs/lint-rules.md#float-double' }],
    notDeployableReasons: [],
    progress: [],
    history: [{ at: '2026-11-30T19:55:00Z', to: 'open', message: 'opened', actor: 'root@localhost' }],
    reviews: [],
    approvers: [],
    requiredApprovals: 0,
    ...over,
  };
}

const text = (html: string): string =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

test('escapeHtml leaves no markup in any hostile string', () => {
  assert.equal(escapeHtml(HOSTILE), '&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
  assert.equal(escapeHtml(`" onmouseover='x' &amp;`), '&quot; onmouseover=&#39;x&#39; &amp;amp;');
});

test('every untrusted string on the page is escaped: branch, statement, lint, comment, actor, history, error, table', () => {
  const info = page({
    branch: HOSTILE,
    state: 'error_retryable',
    error: { message: HOSTILE, retrySafe: true },
    openedBy: HOSTILE,
    targetDatabase: HOSTILE,
    notes: HOSTILE,
    changes: [{ table: HOSTILE, kind: 'alter_table', statement: `ALTER TABLE \`t\` COMMENT '${HOSTILE}'`, class: 'safe', reasons: [{ class: 'safe', code: HOSTILE, message: HOSTILE }], spans: [{ start: 0, end: 5, kind: 'keyword' }] }],
    lint: [{ code: HOSTILE, severity: 'error', message: HOSTILE, table: HOSTILE, suggestion: HOSTILE, doc: 'file:///x.md#a' }],
    notDeployableReasons: [HOSTILE],
    deployable: false,
    progress: [{ table: HOSTILE, rowsCopied: 1, rowsTotal: 2, percent: 50, rowsPerSecond: 10 }],
    history: [{ at: HOSTILE, from: 'open', to: 'error_retryable', message: HOSTILE, actor: HOSTILE }],
    reviews: [{ at: '2026-11-30T19:58:00Z', actor: HOSTILE, kind: 'comment', body: HOSTILE, current: true }],
    approvers: [HOSTILE],
  });
  const sections = renderSections(pageView(info, undefined, [], [], NOW), NOW);
  const html = pageDocument(sections, { nonce: 'abc123', title: `#3 ${HOSTILE}` });
  assert.ok(!html.includes('<img'), 'an <img> element made it through');
  assert.ok(!html.includes('</script><'), 'the script element can be closed by data');
  assert.equal(html.split('<script').length, 2, 'only the page script');
  assert.ok(!/\son\w+=/i.test(html.replace(/&lt;img src=x onerror=alert\(1\)&gt;/g, '')), 'an event handler attribute appeared');
  // Every one of them is on the page as text.
  const shown = text(Object.values(sections).join(''));
  assert.ok(shown.split(HOSTILE).length - 1 >= 12, `the hostile string is shown as text ${shown.split(HOSTILE).length - 1} times`);
});

test('the document: strict CSP with a nonce, nothing remote, theme variables only', () => {
  const html = pageDocument(messageSections('Loading'), { nonce: 'n0nce', title: 'Deploy request #3' });
  assert.equal(contentSecurityPolicy('n0nce').split(';')[0], "default-src 'none'");
  assert.ok(html.includes(`content="default-src 'none'; style-src 'nonce-n0nce'; script-src 'nonce-n0nce';`) || html.includes('content="default-src &#39;none&#39;; style-src &#39;nonce-n0nce&#39;; script-src &#39;nonce-n0nce&#39;;'));
  assert.match(html, /<style nonce="n0nce">/);
  assert.match(html, /<script nonce="n0nce">/);
  assert.ok(!/https?:\/\//.test(html), 'a remote address');
  assert.ok(!/#[0-9a-f]{3,8}\b|rgba?\(|hsla?\(/i.test(PAGE_STYLE), 'a colour that is not a theme variable');
  for (const id of SECTION_IDS) assert.ok(html.includes(`<div id="${id}">`), id);
});

test('SQL is painted from the server\'s spans; overlapping or out-of-range spans stay plain text', () => {
  const info = page();
  const c = info.changes[0]!;
  const html = highlightSql(c.statement, c.spans);
  assert.ok(html.startsWith('<span class="tok-keyword">ALTER</span> <span class="tok-keyword">TABLE</span> <span class="tok-identifier">`coupons`</span>'), html);
  assert.ok(html.includes(`<span class="tok-string">&#39;0.00&#39;</span>`), html);
  assert.equal(text(html), c.statement);
  const bad = highlightSql('abc<d', [{ start: 0, end: 2, kind: 'keyword' }, { start: 1, end: 3, kind: 'string' }, { start: 3, end: 99, kind: 'number' }]);
  assert.equal(bad, '<span class="tok-keyword">ab</span>c&lt;d');
});

test('an open request: its title, state, who opened it, the statement per table, the lint rule with its link, the history', () => {
  const s = renderSections(pageView(page(), undefined, [], [], NOW), NOW);
  assert.equal(text(/<h1>(.*?)<\/h1>/.exec(s['sb-header'])?.[1] ?? ''), '#3 fix-coupons → main');
  assert.match(text(s['sb-header']), /^#3 fix-coupons → mainopen/);
  assert.ok(text(s['sb-header']).includes('opened by root@localhost 2026-11-30 19:55:00 UTC (5m ago) · database shop · 1 change · deployable'));
  assert.ok(text(s['sb-changes']).includes("coupons data-dependentALTER TABLE `coupons` MODIFY COLUMN `discount_amount` decimal(10,2) DEFAULT '0.00';"));
  assert.ok(s['sb-lint'].includes('<button type="button" class="link" id="sb-doc-0" data-doc="0">About float-double</button>'));
  assert.ok(text(s['sb-lint']).startsWith('LintDeployable'));
  assert.ok(text(s['sb-history']).includes('opened'));
  assert.equal(s['sb-revert'], '');
  assert.equal(s['sb-copy'], '');
  assert.deepEqual(
    [...s['sb-actions'].matchAll(/data-command="([^"]+)"[^>]*>([^<]+)</g)].map((m) => [m[1], m[2]]),
    [[Commands.deploy, 'Deploy'], [Commands.close, 'Close request'], [Commands.review, 'Review / approve…']],
  );
});

test('buttons follow the state: pause or resume while copying, revert in the window, deploy disabled when not deployable', () => {
  const commands = (state: Parameters<typeof pageButtons>[0], paused = false, deployable = true) => pageButtons(state, { paused, deployable }).map((b) => b.command);
  assert.deepEqual(commands('in_progress'), [Commands.cancel, Commands.pause, Commands.tune]);
  assert.deepEqual(commands('in_progress', true), [Commands.cancel, Commands.resume, Commands.tune]);
  assert.deepEqual(commands('pending_cutover'), [Commands.apply, Commands.cancel, Commands.review]);
  assert.deepEqual(commands('complete_pending_revert'), [Commands.revert, Commands.skipRevert]);
  assert.deepEqual(commands('complete_revert'), []);
  const blocked = pageButtons('open', { paused: false, deployable: false })[0];
  assert.equal(blocked?.command, Commands.deploy);
  assert.match(blocked?.disabled ?? '', /Not deployable/);
  const html = renderSections(pageView(page({ deployable: false }), undefined, [], [], NOW), NOW)['sb-actions'];
  assert.match(html, /data-command="schemabranch.deploy" disabled aria-describedby="sb-btn-deploy-why"/);
});

test('with requireApprovals, Deploy waits for approvals of the current statements, saying how to give one; enabled once they are there', () => {
  const waiting = pageView(page({ requiredApprovals: 1, approvers: [] }), undefined, [], [], NOW);
  const deploy = waiting.buttons.find((b) => b.command === Commands.deploy);
  assert.match(deploy?.disabled ?? '', /^Needs 1 approval of the current statements from people other than its author \(0 so far\): .*deploy-request review 3 --approve/);
  assert.equal(pageMessage({ type: 'run', command: Commands.deploy }, waiting), undefined, 'a disabled button runs nothing');
  const approved = pageView(page({ requiredApprovals: 1, approvers: ['reviewer@localhost'] }), undefined, [], [], NOW);
  assert.equal(approved.buttons.find((b) => b.command === Commands.deploy)?.disabled, undefined);
  // Findings about the online copy only: Deploy stays, and asks the server for its own path.
  const copyOnly = pageView(page({ deployable: false, lint: [{ code: 'online-migration', severity: 'error', message: 'Foreign key x is ON UPDATE CASCADE' }] }), undefined, [], [], NOW);
  assert.equal(copyOnly.buttons.find((b) => b.command === Commands.deploy)?.disabled, undefined);
  // Lint errors come first: approvals do not make a request deployable.
  const both = pageView(page({ deployable: false, requiredApprovals: 1, approvers: ['reviewer@localhost'] }), undefined, [], [], NOW);
  assert.match(both.buttons.find((b) => b.command === Commands.deploy)?.disabled ?? '', /^Not deployable/);
});

test('live figures: the board\'s state wins over an older answer, per-table progress with rows/s, ETA, paused and throttled', () => {
  const info = page();
  const live = { ...info, state: 'in_progress' as const, updatedAt: '2026-11-30T19:59:00Z', paused: false };
  const view = pageView(info, live, [
    { number: 3, table: 'coupons', phase: 'copying', rowsCopied: 60_000, rowsTotal: 150_000, percent: 40, etaSeconds: 12, rowsPerSecond: 7500 },
    { number: 3, table: 'orders', phase: 'copying', rowsCopied: 10, rowsTotal: 100, percent: 10, throttled: 'replica lag 2.1 s over 1 s' },
  ], [], NOW);
  assert.equal(view.info.state, 'in_progress');
  const s = renderSections(view, NOW);
  assert.match(text(s['sb-header']), /in progress/);
  const rows = [...s['sb-copy'].matchAll(/<tr><th scope="row">(.*?)<\/tr>/g)].map((m) => text(m[1] ?? ''));
  assert.deepEqual(rows, ['coupons60,000 / 150,00040% 40%7,5000:12copying', 'orders10 / 10010% 10%––throttled: replica lag 2.1 s over 1 s']);
  const paused = pageView(info, { ...live, paused: true }, [{ number: 3, table: 'coupons', phase: 'copying', rowsCopied: 1, rowsTotal: 2, percent: 50, paused: true }], [], NOW);
  assert.match(text(renderSections(paused, NOW)['sb-copy']), /paused \(Resume goes on\)/);
  assert.deepEqual(paused.buttons.map((b) => b.command), [Commands.cancel, Commands.resume, Commands.tune]);
  // After the copy the stored figures stay, as a record: done, no ETA.
  const after = pageView({ ...info, state: 'complete_pending_revert', progress: [{ table: 'coupons', rowsCopied: 150_000, rowsTotal: 150_000, percent: 100, rowsPerSecond: 9000, etaSeconds: 0 }] }, undefined, [], [], NOW);
  assert.deepEqual(after.copy.map((t) => [t.phase, t.etaSeconds]), [['done', undefined]]);
  // An answer newer than the board's entry keeps its own state.
  assert.equal(pageView({ ...info, updatedAt: '2026-11-30T20:00:00Z' }, live, [], [], NOW).info.state, 'open');
});

test('the revert window counts down from the deadline and names the tables; it is gone once the deadline passed', () => {
  const info = page({ state: 'complete_pending_revert', revertDeadline: '2026-11-30T20:29:41Z' });
  const windows = [{ number: 3, deadline: Date.parse('2026-11-30T20:29:41Z'), tables: ['coupons'] }];
  const s = renderSections(pageView(info, undefined, [], windows, NOW), NOW);
  assert.equal(text(s['sb-revert']), 'Revert window: 29:41 left (closes 2026-11-30 20:29:41 UTC). Revert swaps the previous schema of coupons back; rows written since the deploy are kept.');
  assert.equal(renderSections(pageView(info, undefined, [], windows, NOW + 1000), NOW + 1000)['sb-revert'].includes('29:40'), true);
  assert.equal(pageView(info, undefined, [], windows, Date.parse('2026-11-30T20:30:00Z')).window, undefined);
  // Before the window notification arrives, the request's own deadline opens it.
  assert.equal(pageView(info, undefined, [], [], NOW).window?.deadline, Date.parse('2026-11-30T20:29:41Z'));
});

test('reviews: approvals of the current statements, comments kept as text, earlier approvals marked', () => {
  const info = page({
    reviews: [
      { at: '2026-11-30T19:56:00Z', actor: 'bob@%', kind: 'approve', current: false },
      { at: '2026-11-30T19:58:00Z', actor: 'carol@%', kind: 'comment', body: 'looks fine\nship it', current: true },
      { at: '2026-11-30T19:59:00Z', actor: 'carol@%', kind: 'approve', current: true },
    ],
    approvers: ['carol@%'],
    requiredApprovals: 2,
  });
  const s = text(renderSections(pageView(info, undefined, [], [], NOW), NOW)['sb-reviews']);
  assert.ok(s.startsWith('Reviews1 approval of the current statements (carol@%); 2 required to deploy.'), s);
  assert.ok(s.includes('bob@% approved 2026-11-30 19:56:00 UTC (4m ago) (on earlier statements)'), s);
  assert.ok(s.includes('carol@% commented 2026-11-30 19:58:00 UTC (2m ago)looks fine\nship it'), s);
});

test('messages from the page: only the buttons shown and enabled, only links the server gave', () => {
  const view = pageView(page({ deployable: false }), undefined, [], [], NOW);
  assert.deepEqual(pageMessage({ type: 'ready' }, view), { type: 'ready' });
  assert.deepEqual(pageMessage({ type: 'run', command: Commands.close }, view), { type: 'run', command: Commands.close });
  assert.equal(pageMessage({ type: 'run', command: Commands.deploy }, view), undefined, 'disabled');
  assert.equal(pageMessage({ type: 'run', command: Commands.revert }, view), undefined, 'not offered in this state');
  assert.equal(pageMessage({ type: 'run', command: 'workbench.action.terminal.new' }, view), undefined);
  assert.deepEqual(pageMessage({ type: 'openDoc', index: 0 }, view), { type: 'openDoc', index: 0 });
  assert.equal(pageMessage({ type: 'openDoc', index: 5 }, view), undefined);
  assert.equal(pageMessage('run', view), undefined);
  assert.equal(pageMessage({ type: 'run', command: Commands.close }, undefined), undefined);
});

test('a rule link opens the documentation at its heading', () => {
  const md = readFileSync(join(__dirname, '..', '..', 'docs', 'lint-rules.md'), 'utf8');
  const line = headingLine(md, 'float-double');
  assert.equal(md.split('\n')[line ?? -1], '## float-double');
  assert.equal(headingLine(md, 'no-such-rule'), undefined);
});
