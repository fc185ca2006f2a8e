import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';

/**
 * What a person does in VS Code, as Playwright calls against code-server's
 * DOM. Every wait is on something appearing on screen, never a fixed sleep.
 */
export class Workbench {
  private shot = 0;

  constructor(
    readonly page: Page,
    private readonly artifacts: string,
  ) {
    mkdirSync(artifacts, { recursive: true });
  }

  /** Keeps a numbered screenshot; returns the file name. */
  async screenshot(name: string): Promise<string> {
    this.shot += 1;
    const file = `${String(this.shot).padStart(2, '0')}-${name}.png`;
    await this.page.screenshot({ path: join(this.artifacts, file) });
    return file;
  }

  async waitForWorkbench(timeoutMs = 90_000): Promise<void> {
    await this.page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
    await this.page.locator('.monaco-workbench .part.activitybar').waitFor({ state: 'visible', timeout: timeoutMs });
  }

  /**
   * Opens the quick input with F1 and types `text`. Retried: an editor that
   * opens at the same moment (a command's own result) can take the focus
   * and close the palette.
   */
  async palette(text: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input.input');
    let last: unknown;
    for (let attempt = 0; attempt < 4; attempt++) {
      try {
        if (!(await input.isVisible())) await this.page.keyboard.press('F1');
        await input.fill(text, { timeout: 5000 });
        return;
      } catch (err) {
        last = err;
      }
    }
    throw last;
  }

  /** Runs a command from the palette by its full title ("Schema Branch: Create Branch"). */
  async runCommand(title: string): Promise<void> {
    await this.palette(`>${title}`);
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    await row.click();
  }

  /** Opens a workspace file through Quick Open, by its path relative to the folder. */
  async openFile(relativePath: string): Promise<void> {
    await this.palette(relativePath);
    const name = relativePath.split('/').pop() ?? relativePath;
    const dir = relativePath.split('/').slice(0, -1).join('/');
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: name }).filter({ hasText: dir }).first();
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    // Quick Open re-renders its list as results arrive (seen in CI: the row seen was replaced before the click);
    // Enter opens the focused row then, but only while Quick Open is still there (else it would type into a file).
    await row.click({ timeout: 5_000 }).catch(async () => {
      if (await this.page.locator('.quick-input-widget').isVisible()) await this.page.keyboard.press('Enter');
    });
    await this.page.locator('.tab.active', { hasText: name }).waitFor({ timeout: 30_000 });
  }

  /** Answers a quick input (input box) that a command opened. */
  async answer(text: string, prompt?: string | RegExp): Promise<void> {
    const widget = this.page.locator('.quick-input-widget');
    if (prompt) await widget.getByText(prompt).first().waitFor({ state: 'visible', timeout: 15_000 });
    const input = widget.locator('input.input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill(text);
    await input.press('Enter');
  }

  /** Picks a quick pick row by text. */
  async pick(text: string | RegExp): Promise<void> {
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    await row.click();
  }

  /** Presses a button of a modal dialog (the confirmations). Returns the dialog's text. */
  async confirmDialog(button: string, timeoutMs = 15_000): Promise<string> {
    const dialog = this.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: timeoutMs });
    const text = (await dialog.innerText()).trim();
    await dialog.locator('.monaco-button', { hasText: new RegExp(`^${button}$`) }).first().click();
    await dialog.waitFor({ state: 'hidden', timeout: timeoutMs });
    return text;
  }

  async openActivityView(title: string): Promise<void> {
    const item = this.page.locator(`.activitybar .action-item a[aria-label^="${title}"], .activitybar .action-item[aria-label^="${title}"]`).first();
    await item.waitFor({ state: 'visible', timeout: 60_000 });
    const checked = await this.page.locator(`.activitybar .action-item.checked [aria-label^="${title}"], .activitybar .action-item.checked[aria-label^="${title}"]`).count();
    if (!checked) await item.click();
  }

  /** A view pane (by its title, e.g. "Deploy Requests"). */
  pane(title: string): Locator {
    return this.page.locator('.pane', { has: this.page.locator('.pane-header', { hasText: new RegExp(`^\\s*${title}`, 'i') }) }).first();
  }

  treeRow(paneTitle: string, text: string | RegExp): Locator {
    return this.pane(paneTitle).locator('.monaco-list-row', { hasText: text }).first();
  }

  async expandPane(title: string): Promise<void> {
    const header = this.pane(title).locator('.pane-header').first();
    await header.waitFor({ state: 'visible', timeout: 30_000 });
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  }

  /** The document of the webview panel on screen (a deploy request page): two frames deep in the workbench. */
  webview(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').first().frameLocator('#active-frame');
  }

  /**
   * Switches the colour theme as a person does (Preferences: Color Theme,
   * which writes workbench.colorTheme) and waits for the workbench to wear it.
   */
  async colorTheme(label: string, kind: 'vs' | 'vs-dark'): Promise<void> {
    await this.runCommand('Preferences: Color Theme');
    const input = this.page.locator('.quick-input-widget input.input[placeholder^="Select Color Theme"]');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill(label);
    // The filtered list's first row is the theme (its row also holds the group's name): Enter takes it.
    await this.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: label }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await input.press('Enter');
    // The list previews themes as its focus moves: only once it has closed is the theme the one kept.
    await input.waitFor({ state: 'hidden', timeout: 15_000 });
    await this.waitForThemeKind(kind);
  }

  /** The workbench's theme kind, from the class VS Code puts on it: 'vs' (light), 'vs-dark', 'hc-black', 'hc-light'. */
  async waitForThemeKind(kind: 'vs' | 'vs-dark', timeoutMs = 30_000): Promise<void> {
    await this.page.locator(`.monaco-workbench.${kind}`).first().waitFor({ state: 'attached', timeout: timeoutMs });
  }

  statusBarItem(text: RegExp): Locator {
    return this.page.locator('.part.statusbar .statusbar-item', { hasText: text }).first();
  }

  notification(text: string | RegExp): Locator {
    return this.page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  }

  /**
   * Records every text the notification toasts show from now on (a
   * MutationObserver in the page), so a fast deploy's progress lines are
   * seen even when they come and go between two Playwright polls.
   */
  async recordNotifications(): Promise<void> {
    // A string, because this runs in the browser page (the Node tsconfig has no DOM types).
    await this.page.evaluate(`(() => {
      const seen = (window.__sbToasts = []);
      new MutationObserver(() => {
        for (const t of document.querySelectorAll('.notifications-toasts .notification-toast')) {
          if (seen[seen.length - 1] !== t.innerText) seen.push(t.innerText);
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    })()`);
  }

  async recordedNotifications(): Promise<string[]> {
    return (await this.page.evaluate('window.__sbToasts || []')) as string[];
  }

  async dismissNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications').catch(() => undefined);
  }

  /** The Problems panel's rows. */
  async openProblems(): Promise<Locator> {
    await this.runCommand('View: Focus Problems');
    const panel = this.page.locator('.markers-panel');
    await panel.waitFor({ state: 'visible', timeout: 15_000 });
    return panel;
  }

  /** Narrows the Problems panel (its list is virtualised: rows far down are not in the DOM). */
  async filterProblems(text: string): Promise<void> {
    const filter = this.page.locator('.markers-panel-action-filter input, .panel .viewpane-filter input').first();
    await filter.waitFor({ state: 'visible', timeout: 10_000 });
    await filter.fill(text);
  }

  /**
   * Replaces `length` characters at line:column (1-based) of the active
   * editor by typing, as a person would: Go to Line, select, type.
   */
  async replaceAt(line: number, column: number, length: number, replacement: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input.input');
    await this.palette(`:${line}:${column}`);
    await this.page.locator('.quick-input-widget', { hasText: new RegExp(`line ${line}.*character ${column}|${line}:${column}`, 'i') }).first().waitFor({ timeout: 10_000 }).catch(() => undefined);
    await input.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: 10_000 });
    await this.page.locator('.statusbar-item', { hasText: `Ln ${line}, Col ${column}` }).first().waitFor({ timeout: 10_000 });
    for (let i = 0; i < length; i++) await this.page.keyboard.press('Shift+ArrowRight');
    await this.page.locator('.statusbar-item', { hasText: `(${length} selected)` }).first().waitFor({ timeout: 10_000 });
    await this.page.keyboard.type(replacement);
  }

}
