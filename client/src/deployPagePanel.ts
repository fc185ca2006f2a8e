import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Disposable, WebviewPanel } from 'vscode';
import type { BoardChange } from './deployBoard.js';
import { headingLine, pageMessage, pageView, type PageView } from './deployPage.js';
import { pageDocument } from './deployPageDocument.js';
import { messageSections, renderSections, SECTION_IDS, type Sections } from './deployPageHtml.js';
import type { Editor } from './editor.js';
import { describeFailure } from './failure.js';
import { requestKey } from './folders.js';
import { DeployRequestPageRequest, type DeployRequestPageInfo } from './protocol.js';
import type { ServedFolders } from './servedFolders.js';
import type { Session } from './session.js';

export const DEPLOY_PAGE_VIEW_TYPE = 'schemabranch.deployRequestPage';

/**
 * One deploy request's page in a webview panel. What the server stores
 * (statements, lint, history, reviews) is asked once and again on each state
 * change; the live figures (state, progress, revert window) come from the
 * board, which the server's notifications keep current: nothing polls. The
 * buttons run the palette's own commands with the request's number.
 */
class DeployRequestPage {
  private info: DeployRequestPageInfo | undefined;
  private view: PageView | undefined;
  /** What the webview shows now, per section: only changed sections are sent. */
  private shown: Partial<Sections> = {};
  private ticker: NodeJS.Timeout | undefined;
  private fetching = false;
  private fetchAgain = false;
  private readonly subscriptions: Disposable[];

  /** `name`: how the request is called, `#3`, or `app #3` when several folders are served. */
  constructor(
    readonly number: number,
    private readonly panel: WebviewPanel,
    readonly session: Session,
    private readonly editor: Editor,
    private readonly name: () => string,
    onClosed: () => void,
  ) {
    const loading = messageSections(`Loading deploy request ${name()}…`);
    panel.webview.html = pageDocument(loading, { nonce: randomBytes(18).toString('base64'), title: `Deploy request ${name()}` });
    this.shown = loading;
    this.subscriptions = [
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidDispose(() => {
        this.dispose();
        onClosed();
      }),
      // Hidden panels lose their document; shown again, it reloads and says 'ready'. Reviews by others have no notification: ask again.
      panel.onDidChangeViewState((e) => {
        if (e.webviewPanel.visible) void this.fetch();
      }),
      session.board.onChange((c: BoardChange) => {
        if (c === 'requests') void this.fetch();
        else if (c === 'progress' || c === 'revertWindows') this.draw();
      }),
    ];
    void this.fetch();
  }

  /** Brings the page to the front, asked again: reviews by others (the CLI, a colleague) send no notification. */
  reveal(): void {
    this.panel.reveal();
    void this.fetch();
  }

  close(): void {
    this.panel.dispose();
  }

  /** One request at a time; changes that arrive meanwhile ask once more after it. */
  private async fetch(): Promise<void> {
    if (this.fetching) {
      this.fetchAgain = true;
      return;
    }
    this.fetching = true;
    try {
      do {
        this.fetchAgain = false;
        try {
          this.info = await this.session.request(DeployRequestPageRequest.type, { number: this.number }, `Deploy request ${this.name()}`);
        } catch (err) {
          // With a page already drawn, the board's figures still update it; without one, say why there is none.
          if (!this.info) this.post(messageSections(describeFailure(`Showing deploy request ${this.name()}`, err).message));
        }
        this.draw();
      } while (this.fetchAgain);
    } finally {
      this.fetching = false;
    }
  }

  private draw(): void {
    if (!this.info) return;
    const now = Date.now();
    const board = this.session.board;
    this.view = pageView(this.info, board.get(this.number), board.tableProgress(this.number), board.revertWindows(), now);
    const title = `${this.name()} ${this.view.info.branch}`;
    if (this.panel.title !== title) this.panel.title = title;
    this.post(renderSections(this.view, now));
    // The countdown is local arithmetic on the server's deadline: a redraw each second while it runs, nothing asked.
    if (this.view.window && !this.ticker) this.ticker = setInterval(() => this.draw(), 1000);
    if (!this.view.window && this.ticker) this.stopTicker();
  }

  private post(sections: Sections): void {
    const changed: Partial<Sections> = {};
    for (const id of SECTION_IDS) if (this.shown[id] !== sections[id]) changed[id] = sections[id];
    if (Object.keys(changed).length === 0) return;
    this.shown = { ...this.shown, ...changed };
    void this.panel.webview.postMessage({ type: 'sections', sections: changed });
  }

  private receive(raw: unknown): void {
    const m = pageMessage(raw, this.view);
    if (!m) return;
    if (m.type === 'ready') {
      // A (re)loaded document shows its first sections: send everything again.
      this.shown = {};
      if (this.info) this.draw();
      return;
    }
    if (m.type === 'run') {
      // The folder goes with the number: the command acts on this page's request, whatever file is active.
      void this.editor.run(m.command, { folder: this.session.folder.uri, deployRequest: this.number });
      return;
    }
    const href = this.view?.info.lint[m.index]?.doc;
    if (href) void this.openDoc(href);
  }

  /** The rule's documentation, a file the extension ships, opened at the rule's heading. */
  private async openDoc(href: string): Promise<void> {
    if (!href.startsWith('file:')) return;
    const [file = '', fragment = ''] = href.split('#');
    const path = fileURLToPath(file);
    let line: number | undefined;
    try {
      line = headingLine(readFileSync(path, 'utf8'), decodeURIComponent(fragment));
    } catch {
      line = undefined;
    }
    await this.editor.openFileAt(path, line);
  }

  private stopTicker(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  private dispose(): void {
    this.stopTicker();
    for (const s of this.subscriptions) s.dispose();
  }
}

/**
 * The open pages, one per deploy request: opening one that is open brings it
 * to the front. Keyed by folder and number, since each folder's database
 * numbers its own requests; a folder no longer served closes its pages.
 */
export class DeployRequestPages implements Disposable {
  private readonly pages = new Map<string, DeployRequestPage>();
  private readonly subscription: Disposable;

  constructor(
    private readonly editor: Editor,
    private readonly folders: ServedFolders,
  ) {
    this.subscription = folders.onChange((_s, c) => {
      if (c !== 'folders') return;
      for (const page of [...this.pages.values()]) if (this.folders.get(page.session.folder.uri) !== page.session) page.close();
    });
  }

  open(session: Session, number: number): void {
    const key = requestKey(session.folder.uri, number);
    const open = this.pages.get(key);
    if (open) {
      open.reveal();
      return;
    }
    const name = (): string => this.folders.requestTitle(session, number);
    const panel = this.editor.createWebviewPanel(DEPLOY_PAGE_VIEW_TYPE, `Deploy request ${name()}`);
    this.pages.set(key, new DeployRequestPage(number, panel, session, this.editor, name, () => this.pages.delete(key)));
  }

  dispose(): void {
    this.subscription.dispose();
    for (const page of [...this.pages.values()]) page.close();
  }
}
