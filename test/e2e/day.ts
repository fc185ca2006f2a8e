/**
 * The user's day, end to end, in real VS Code (code-server) driven through
 * headless Chromium: the packaged .vsix, a copy of examples/shop, the command
 * palette, the trees, the Problems panel, the status bar. Run by
 * `npm run test:e2e` (scripts/e2e.sh), which installs the tools first.
 *
 *   node --import tsx test/e2e/day.ts --cache <dir> --vsix <file>
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Locator } from 'playwright-core';
import { helperPids, prepareProfile, startCodeServer, type RunningCodeServer } from './codeServer.js';
import { ShopDatabase } from './shopDatabase.js';
import { Steps } from './steps.js';
import { Workbench } from './workbench.js';

const root = join(__dirname, '..', '..');
const arg = (name: string, fallback?: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : fallback;
  if (!v) throw new Error(`missing --${name}`);
  return v;
};

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const BRANCH = 'fix-coupons';
const SLOW = 120_000;

/** `locator` once its whole text is exactly `text` (not a part of it). */
function exactly(locator: Locator, text: string): Locator {
  return locator.filter({ hasText: new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) }).first();
}

/** The whole walk's limit: about ten times a normal run. */
const LIMIT_MS = Number(process.env.SCHEMABRANCH_E2E_LIMIT_SECONDS ?? 900) * 1000;

async function main(): Promise<number> {
  const started = Date.now();
  const tools = { cache: arg('cache'), codeServerVersion: arg('code-server-version', '4.139.1') };
  const vsix = arg('vsix');
  const artifacts = join(root, 'test-artifacts', 'e2e');
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });

  const work = mkdtempSync(join(tmpdir(), 'sb-e2e-'));
  const ws = join(work, 'shop');
  cpSync(join(root, 'examples', 'shop'), ws, { recursive: true, filter: (src) => !src.includes('.schemabranch') });
  // A team that requires one approval: the walk shows Deploy waiting for another person and going once they approve.
  const config = JSON.parse(readFileSync(join(ws, 'schemabranch.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(ws, 'schemabranch.json'), `${JSON.stringify({ ...config, requireApprovals: 1 }, null, 2)}\n`);
  const db = new ShopDatabase(join(ws, '.schemabranch', 'sandbox'), 'shop');

  let server: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  let wb: Workbench | undefined;
  const steps = new Steps(async (name) => wb?.screenshot(`FAILED-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 40)}`), LIMIT_MS);
  const shot = async (shots: string[], name: string): Promise<void> => {
    if (wb) shots.push(await wb.screenshot(name));
  };

  try {
    await steps.step('code-server starts with the packaged extension installed', async () => {
      const profile = prepareProfile(tools, work, vsix);
      server = await startCodeServer(tools, profile, ws);
      browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      wb = new Workbench(page, artifacts);
      await page.goto(server.url(ws));
      await wb.waitForWorkbench();
    });

    const w = (): Workbench => {
      if (!wb) throw new Error('no workbench');
      return wb;
    };

    await steps.step('the extension activates: the Branches tree lists main', async (shots) => {
      await w().openActivityView('Schema Branch');
      await w().treeRow('Branches', /^\s*main/).waitFor({ state: 'visible', timeout: SLOW });
      await shot(shots, 'branches-main');
    });

    await steps.step('the Problems panel shows the float-double lint warning in main', async (shots) => {
      await w().treeRow('Branches', /^\s*main/).click();
      await w().treeRow('Branches', /^\s*coupons$/).click();
      await w().page.locator('.tab.active', { hasText: 'coupons.sql' }).waitFor({ timeout: 30_000 });
      const problems = await w().openProblems();
      await w().filterProblems('float-double');
      const row = problems.locator('.monaco-list-row', { hasText: /float-double/i }).first();
      await row.waitFor({ state: 'visible', timeout: 60_000 });
      if ((await row.locator('.codicon-warning, .codicon-error').count()) === 0) throw new Error(`the lint row has no warning icon: ${await row.innerText()}`);
      await shot(shots, 'problems-lint-warning-main');
      await w().filterProblems('coupons');
    });

    await steps.step('Push Branch (main, confirmed) loads main into the sandbox; rows written to it from outside with mysql2', async (shots) => {
      await w().runCommand('Schema Branch: Push Branch to its Database');
      await w().pick(/^\s*main/);
      // Every statement is shown, in full, before the question: the push runs exactly those.
      await w().page.locator('.tab.active', { hasText: 'push main.sql' }).waitFor({ timeout: 30_000 });
      await w().page.locator('.monaco-editor .view-lines', { hasText: /CREATE\s+DATABASE\s+`shop`/ }).first().waitFor({ timeout: 30_000 });
      await shot(shots, 'push-main-statements');
      const text = await w().confirmDialog('Push main');
      if (!/runs the \d+ statements shown in the editor, exactly,.*without a deploy request/.test(text)) throw new Error(`the push-main confirmation does not say what it runs and skips: ${text}`);
      await w().notification(/Pushed main|already matches/).waitFor({ state: 'visible', timeout: SLOW });
      await shot(shots, 'main-pushed');
      await db.waitForTable('coupons', 30_000);
      await db.seedCoupons(150_000);
    });

    await steps.step(`Create Branch from the palette makes ${BRANCH}`, async (shots) => {
      await w().runCommand('Schema Branch: Create Branch');
      await w().answer(BRANCH);
      await w().treeRow('Branches', new RegExp(`^\\s*${BRANCH}`)).waitFor({ state: 'visible', timeout: SLOW });
      // The command opens the new branch's first table.
      await w().page.locator('.tab.active', { hasText: 'addresses.sql' }).waitFor({ timeout: 30_000 });
      await shot(shots, 'branch-created');
    });

    await steps.step('editing the branch file: a parse error at the token, then the code lens "1 change vs main"', async (shots) => {
      await w().openFile(`schema/${BRANCH}/coupons.sql`);
      const lines = readFileSync(join(ws, 'schema', BRANCH, 'coupons.sql'), 'utf8').split('\n');
      const at = lines.findIndex((l) => /discount_amount FLOAT/.test(l));
      if (at < 0) throw new Error(`examples/shop coupons.sql no longer has "discount_amount FLOAT"`);
      await w().replaceAt(at + 1, lines[at].indexOf('FLOAT') + 1, 'FLOAT'.length, 'DECIMAL(10,2');
      // The language configuration auto-closed the parenthesis: delete it to leave a real parse error.
      await w().page.keyboard.press('Delete');
      await w().page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'visible', timeout: 30_000 });
      await w().filterProblems('syntax-error');
      await w().page.locator('.markers-panel .monaco-list-row', { hasText: /Syntax error at line \d+/ }).first().waitFor({ state: 'visible', timeout: 30_000 });
      await shot(shots, 'parse-error-while-typing');
      await w().filterProblems('coupons');
      // Back to the editor with the cursor where it was (the filter box had the focus).
      await w().runCommand('View: Focus Active Editor Group');
      await w().statusBarItem(/Ln 7, Col/).waitFor({ timeout: 10_000 });
      await w().page.keyboard.type(')');
      await w().page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'detached', timeout: 30_000 });
      await w().page.keyboard.press('Control+S');
      // Exactly this text: /change/ alone also matched a stale "No changes vs main".
      const lens = w().page.locator('.monaco-editor .codelens-decoration', { hasText: /^\s*1 change vs main/ }).first();
      await lens.waitFor({ state: 'visible', timeout: 60_000 });
      await shot(shots, 'code-lens-1-change');
    });

    await steps.step('the code lens opens the ALTER statement in a read-only SQL preview', async (shots) => {
      await w().page.locator('.monaco-editor .codelens-decoration a', { hasText: /Preview|change/ }).first().click();
      await w().page.locator('.tab.active', { hasText: `${BRANCH} vs main` }).waitFor({ timeout: 30_000 });
      await w().page.locator('.monaco-editor .view-lines', { hasText: /ALTER\s+TABLE/ }).first().waitFor({ timeout: 30_000 });
      await shot(shots, 'diff-preview');
    });

    await steps.step("Compare with main opens the branch file against main's in the diff editor", async (shots) => {
      await w().page.locator('.tab', { hasText: 'coupons.sql' }).filter({ hasText: BRANCH }).first().click();
      await w().runCommand('Schema Branch: Compare with main');
      await w().page.locator('.tab.active', { hasText: `coupons: main ↔ ${BRANCH}` }).waitFor({ timeout: 30_000 });
      await w().page.locator('.monaco-diff-editor').first().waitFor({ state: 'visible', timeout: 30_000 });
      await shot(shots, 'compare-with-main');
    });

    let number = 0;
    await steps.step('Open Deploy Request: it appears in the Deploy Requests tree with its statement', async (shots) => {
      await w().runCommand('Schema Branch: Open Deploy Request');
      const picker = w().page.locator('.quick-input-list .monaco-list-row', { hasText: BRANCH }).first();
      const row = w().treeRow('Deploy Requests', new RegExp(`#\\d+ ${BRANCH}`));
      await Promise.race([picker.waitFor({ state: 'visible', timeout: SLOW }).then(() => picker.click()), row.waitFor({ state: 'visible', timeout: SLOW })]);
      await row.waitFor({ state: 'visible', timeout: SLOW });
      number = Number(/#(\d+)/.exec(await row.innerText())?.[1]);
      // A click on the row opens its page (next step); the twistie shows its statements and lint in the tree.
      await row.locator('.monaco-tl-twistie').click();
      await w().treeRow('Deploy Requests', /ALTER\s+TABLE/).waitFor({ state: 'visible', timeout: 30_000 });
      await shot(shots, 'deploy-request-in-tree');
    });

    await steps.step('a click on the tree row opens the deploy request page: open and deployable, SQL highlighted (dark theme)', async (shots) => {
      // code-server starts in a light theme here: the page's main states are shown in a dark one, the last in a light one.
      await w().colorTheme('Dark Modern', 'vs-dark');
      await w().treeRow('Deploy Requests', new RegExp(`#${number} ${BRANCH}`)).locator('.label-name').first().click();
      await w().page.locator('.tab.active', { hasText: `#${number} ${BRANCH}` }).waitFor({ timeout: 30_000 });
      const view = w().webview();
      await exactly(view.locator('h1'), `#${number} ${BRANCH} → main`).waitFor({ timeout: 30_000 });
      await exactly(view.locator('.state-label'), 'open').waitFor({ timeout: 10_000 });
      await exactly(view.locator('.verdict'), 'Deployable').waitFor({ timeout: 10_000 });
      await exactly(view.locator('#sb-btn-deploy'), 'Deploy').waitFor({ timeout: 10_000 });
      await exactly(view.locator('#sb-btn-close'), 'Close request').waitFor({ timeout: 10_000 });
      await view.locator('body.vscode-dark').waitFor({ state: 'attached', timeout: 10_000 });
      await exactly(view.locator('.table-diff h3'), 'coupons data-dependent').waitFor({ timeout: 10_000 });
      const sql = (await view.locator('pre.sql').first().innerText()).trim();
      if (!sql.startsWith('ALTER TABLE `coupons` MODIFY COLUMN `discount_amount` decimal(10,2)')) throw new Error(`the page's statement is ${JSON.stringify(sql)}`);
      const keywords = await view.locator('pre.sql .tok-keyword').allInnerTexts();
      if (keywords.slice(0, 2).join(' ') !== 'ALTER TABLE') throw new Error(`the statement is not highlighted: keywords ${JSON.stringify(keywords)}`);
      await shot(shots, 'page-open-dark');
      // A lint finding's link opens the rule's documentation at its heading; then back to the page.
      await exactly(view.locator('button[data-doc]'), 'About data-dependent-change').click();
      await w().page.locator('.tab.active', { hasText: 'lint-rules.md' }).waitFor({ timeout: 30_000 });
      const heading = readFileSync(join(root, 'docs', 'lint-rules.md'), 'utf8').split('\n').indexOf('## data-dependent-change') + 1;
      await w().statusBarItem(new RegExp(`^\\s*Ln ${heading}, Col 1\\s*$`)).waitFor({ timeout: 10_000 });
      await shot(shots, 'lint-rule-doc-from-page');
      await w().page.locator('.tab', { hasText: `#${number} ${BRANCH}` }).first().click();
      await exactly(view.locator('h1'), `#${number} ${BRANCH} → main`).waitFor({ timeout: 30_000 });
    });

    await steps.step("the page's Review button comments through the palette's command; the comment, hostile markup included, shows as text", async (shots) => {
      const comment = '</script><img src=x onerror=alert(1)> looks fine';
      const view = w().webview();
      await view.locator('#sb-btn-review').click();
      await w().pick(/Add a comment to its history/);
      await w().answer(comment);
      await exactly(view.locator('#sb-reviews blockquote'), comment).waitFor({ timeout: 30_000 });
      await exactly(view.locator('#sb-reviews li p strong'), 'root@localhost').waitFor({ timeout: 10_000 });
      const images = await view.locator('img').count();
      if (images !== 0) throw new Error(`the comment became markup: ${images} <img> on the page`);
      await view.locator('#sb-reviews').scrollIntoViewIfNeeded();
      await shot(shots, 'page-review-comment-dark');
    });

    await steps.step('Deploy waits for an approval from someone other than its author; a reviewer approves from their terminal (the CLI, their own account), and the page enables Deploy', async (shots) => {
      const view = w().webview();
      await view.locator('#sb-btn-deploy[disabled]').waitFor({ state: 'attached', timeout: 10_000 });
      const why = (await view.locator('#sb-btn-deploy-why').innerText()).trim();
      const expected = `Needs 1 approval of the current statements from people other than its author (0 so far): a reviewer approves with Review / approve… or \`schemabranch deploy-request review ${number} --approve\`.`;
      if (why !== expected) throw new Error(`the disabled Deploy button says ${JSON.stringify(why)}`);
      await view.locator('#sb-actions').scrollIntoViewIfNeeded();
      await shot(shots, 'page-waiting-for-approval-dark');
      const url = await db.addReviewer('reviewer', 'e2e-reviewer-pw');
      const review = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'deploy-request', 'review', String(number), '--approve', '--dir', ws, '--url', url], {
        encoding: 'utf8',
        env: { ...process.env, SCHEMABRANCH_PASSWORD: 'e2e-reviewer-pw' },
      });
      if (review.status !== 0) throw new Error(`the reviewer's approval failed (exit ${review.status}): ${review.stderr}`);
      // Reviews send no notification: showing the page again (a click on its row) asks the server again.
      await w().treeRow('Deploy Requests', new RegExp(`#${number} ${BRANCH}`)).locator('.label-name').first().click();
      await exactly(view.locator('#sb-reviews > p'), '1 approval of the current statements (reviewer@localhost); 1 required to deploy.').waitFor({ timeout: 30_000 });
      await view.locator('#sb-btn-deploy:not([disabled])').waitFor({ state: 'attached', timeout: 10_000 });
      await view.locator('#sb-reviews').scrollIntoViewIfNeeded();
      await shot(shots, 'page-approved-dark');
    });

    await steps.step("Deploy from the page's button (keyboard): progress notification, the page follows live, then the tree says the revert window is open", async (shots) => {
      await w().recordNotifications();
      // Enter on the focused button: the page's buttons are real buttons, and they run the palette's command.
      const deployButton = w().webview().locator('#sb-btn-deploy');
      await deployButton.focus();
      await deployButton.press('Enter');
      const dialog = w().page.locator('.monaco-dialog-box');
      const progress = w().notification(new RegExp(`Deploying #${number}`));
      await Promise.race([dialog.waitFor({ state: 'visible', timeout: 30_000 }), progress.waitFor({ state: 'visible', timeout: 30_000 })]);
      if (await dialog.isVisible()) {
        await shot(shots, 'deploy-confirmation');
        await w().confirmDialog('Deploy');
      }
      await progress.waitFor({ state: 'visible', timeout: 30_000 });
      // The server's progress notifications, rendered: rows, percent (and an ETA once a rate is known).
      const rowsLine = /coupons: copying [\d,]+ \/ [\d,]+ rows \(\d+%\)/;
      const caught = await w().notification(rowsLine).waitFor({ state: 'visible', timeout: 20_000 }).then(() => true, () => false);
      await shot(shots, caught ? 'deploy-progress' : 'deploy-progress-missed-rows-line');
      const copying = await w().webview().locator('#sb-copy tbody tr').first().waitFor({ state: 'visible', timeout: 10_000 }).then(() => true, () => false);
      if (copying) await shot(shots, 'page-deploying-dark');
      await w().treeRow('Deploy Requests', /#\d+ \S+\s*can revert/).waitFor({ state: 'visible', timeout: 300_000 });
      await shot(shots, 'deployed-revert-window-open');
      // The page followed the server's notifications, with no reload.
      const view = w().webview();
      await exactly(view.locator('.state-label'), 'deployed, revert window open').waitFor({ timeout: 30_000 });
      await exactly(view.locator('#sb-btn-revert'), 'Revert').waitFor({ timeout: 10_000 });
      await exactly(view.locator('#sb-btn-skipRevert'), 'Skip revert').waitFor({ timeout: 10_000 });
      await view.locator('.countdown', { hasText: /^\d\d:\d\d$/ }).waitFor({ timeout: 10_000 });
      await shot(shots, 'page-revert-window-dark');
      const lines = (await w().recordedNotifications()).filter((t) => rowsLine.test(t));
      if (lines.length === 0) throw new Error(`no progress line with rows and percent was shown; toasts seen: ${JSON.stringify(await w().recordedNotifications())}`);
      console.log(`  progress lines shown: ${lines.length}, e.g. ${JSON.stringify(lines[lines.length - 1].split('\n').find((l) => rowsLine.test(l)))}`);
      const type = await db.columnType('coupons', 'discount_amount');
      if (!/decimal\(10,2\)/i.test(type)) throw new Error(`main's coupons.discount_amount is ${type}, expected decimal(10,2)`);
    });

    await steps.step('the status bar counts the revert window down, and the countdown survives a reload', async (shots) => {
      const item = w().statusBarItem(new RegExp(`Revert #${number} \\d\\d:\\d\\d`));
      await item.waitFor({ state: 'visible', timeout: 30_000 });
      const first = await item.innerText();
      const ticked = w().statusBarItem(new RegExp(`Revert #${number} (?!${first.split(' ').pop()})\\d\\d:\\d\\d`));
      await ticked.waitFor({ state: 'visible', timeout: 5000 });
      await shot(shots, 'revert-countdown');
      await w().page.reload();
      await w().waitForWorkbench();
      await w().statusBarItem(new RegExp(`Revert #${number} \\d\\d:\\d\\d`)).waitFor({ state: 'visible', timeout: SLOW });
      await shot(shots, 'revert-countdown-after-reload');
    });

    await steps.step('the revert countdown in the status bar opens the page again after the reload', async (shots) => {
      await w().statusBarItem(new RegExp(`Revert #${number}`)).click();
      await w().pick(`Show deploy request #${number}`);
      const view = w().webview();
      await exactly(view.locator('h1'), `#${number} ${BRANCH} → main`).waitFor({ timeout: 30_000 });
      await exactly(view.locator('.state-label'), 'deployed, revert window open').waitFor({ timeout: 10_000 });
      await exactly(view.locator('#sb-history td'), 'in progress → deployed, revert window open').waitFor({ timeout: 10_000 });
      await shot(shots, 'page-from-status-bar');
    });

    await steps.step('rows written during the revert window (mysql2, from outside the editor)', async () => {
      await db.insertMarkedCoupons(3);
    });

    await steps.step('Revert from the status bar: the tree says reverted', async (shots) => {
      await w().statusBarItem(new RegExp(`Revert #${number}`)).click();
      await w().pick(new RegExp(`Revert #${number}`));
      const text = await w().confirmDialog('Revert');
      if (!/Rows written since the deploy are kept/.test(text)) throw new Error(`the revert confirmation does not say what is kept: ${text}`);
      await w().openActivityView('Schema Branch');
      await w().treeRow('Deploy Requests', /reverted/).waitFor({ state: 'visible', timeout: SLOW });
      await w().statusBarItem(new RegExp(`Revert #${number}`)).waitFor({ state: 'detached', timeout: 30_000 });
      await shot(shots, 'reverted');
      // The page, still open, says so too: no button is left, the history has the revert.
      const view = w().webview();
      await exactly(view.locator('.state-label'), 'reverted').waitFor({ timeout: 30_000 });
      await view.locator('#sb-actions button').first().waitFor({ state: 'detached', timeout: 10_000 });
      await exactly(view.locator('#sb-history td'), 'reverting → reverted').waitFor({ timeout: 10_000 });
      await shot(shots, 'page-reverted-dark');
      await view.locator('#sb-history').scrollIntoViewIfNeeded();
      await shot(shots, 'page-reverted-history-dark');
    });

    await steps.step('the page follows a light theme (Light Modern, picked in Preferences: Color Theme)', async (shots) => {
      await w().colorTheme('Light Modern', 'vs');
      await exactly(w().webview().locator('.state-label'), 'reverted').waitFor({ timeout: 10_000 });
      await w().webview().locator('body.vscode-light').waitFor({ state: 'attached', timeout: 10_000 });
      await w().webview().locator('#sb-header').scrollIntoViewIfNeeded();
      await shot(shots, 'page-reverted-light');
    });

    await steps.step('after the revert the old column type is back and the rows written in the window are still there', async () => {
      const type = await db.columnType('coupons', 'discount_amount');
      if (!/float/i.test(type)) throw new Error(`coupons.discount_amount is ${type} after revert, expected float`);
      const kept = await db.markedCoupons();
      if (kept !== 3) throw new Error(`${kept} of the 3 rows written during the revert window are in main after the revert`);
    });

    await steps.step('after the revert the tree, the code lens and Problems say what is on disk: main has its 11 tables, the branch is 1 change vs main again, main\'s float warning is back', async (shots) => {
      await w().openActivityView('Schema Branch');
      await w().treeRow('Branches', /^\s*main\s*11 tables/).waitFor({ state: 'visible', timeout: 30_000 });
      await w().treeRow('Branches', new RegExp(`^\\s*${BRANCH}\\s*1 change vs main`)).waitFor({ state: 'visible', timeout: 30_000 });
      await w().openFile(`schema/${BRANCH}/coupons.sql`);
      // Exactly this text (a stale "No changes vs main" would not match).
      await w().page.locator('.monaco-editor .codelens-decoration', { hasText: /^\s*1 change vs main/ }).first().waitFor({ state: 'visible', timeout: 30_000 });
      const problems = await w().openProblems();
      await w().filterProblems('float-double');
      await problems.locator('.monaco-list-row', { hasText: /float-double/i }).first().waitFor({ state: 'visible', timeout: 30_000 });
      await shot(shots, 'after-revert-tree-lens-problems');
      await w().filterProblems('coupons');
    });

    await steps.step('a folder without a schema shows the welcome view; Initialise creates schemabranch.json and schema/main/', async (shots) => {
      const empty = join(work, 'empty-app');
      mkdirSync(empty, { recursive: true });
      if (!server) throw new Error('no code-server');
      await w().page.goto(server.url(empty));
      await w().waitForWorkbench();
      await w().openActivityView('Schema Branch');
      const welcome = w().pane('Branches').locator('.welcome-view-content');
      await welcome.getByText(/no schema folder yet/).waitFor({ state: 'visible', timeout: SLOW });
      await shot(shots, 'welcome-view');
      await welcome.getByRole('button', { name: 'Initialise Schema Folder' }).click();
      await w().page.locator('.tab.active', { hasText: 'schemabranch.json' }).waitFor({ timeout: SLOW });
      await welcome.waitFor({ state: 'hidden', timeout: 30_000 });
      if (!existsSync(join(empty, 'schemabranch.json')) || !existsSync(join(empty, 'schema', 'main'))) throw new Error('Initialise did not create schemabranch.json and schema/main/');
      await shot(shots, 'initialised');
    });
  } finally {
    await browser?.close().catch(() => undefined);
    if (server) {
      const helpers = helperPids(server);
      const sandboxPids = [db.sandboxPid(), new ShopDatabase(join(work, 'empty-app', '.schemabranch', 'sandbox'), 'shop').sandboxPid()].filter((p): p is number => p !== undefined);
      const stopped = await server.stop(sandboxPids);
      console.log(`stopped code-server and ${stopped.length - 1} helper processes by pid (${helpers.length} seen before stopping)`);
      writeFileSync(join(artifacts, 'code-server.log'), server.log());
    }
    await db.close();
    // Every workspace the day opened may have started its own sandbox server: stop each by its state file.
    for (const dir of [join(ws, '.schemabranch', 'sandbox'), join(work, 'empty-app', '.schemabranch', 'sandbox')]) {
      await new ShopDatabase(dir, 'shop').stopSandbox().catch((err: unknown) => console.log(`sandbox stop (${dir}): ${String(err)}`));
    }
    if (existsSync(work)) rmSync(work, { recursive: true, force: true });
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  writeFileSync(join(artifacts, 'summary.json'), JSON.stringify({ seconds: Number(seconds), steps: steps.results }, null, 2));
  console.log(`e2e duration ${seconds} s; screenshots in test-artifacts/e2e/`);
  console.log(steps.summary());
  return steps.failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    console.log('e2e: 0 passed, 1 failed');
    process.exit(1);
  },
);
