import type { Disposable } from 'vscode';
import * as branch from './branchCommands.js';
import type { DeployRequestPages } from './deployPagePanel.js';
import type { DeployProgress } from './deployProgress.js';
import * as dr from './deployCommands.js';
import type { Editor } from './editor.js';
import { describeFailure, MANAGE_TRUST_COMMAND, whyCannotRun, whyUntrusted } from './failure.js';
import { Commands, SandboxStartRequest, SandboxStopRequest } from './protocol.js';
import type { ServedFolders } from './servedFolders.js';
import type { Session } from './session.js';

/** What every command gets: the workspace's parts. */
export interface WorkspaceContext {
  editor: Editor;
  /** Every served folder's session. */
  folders: ServedFolders;
  /** The deploy request pages (webviews), one per request. */
  pages: DeployRequestPages;
  /** Re-reads the trees (after a command changed branches or requests). */
  refresh: () => void;
}

/** What a command that acts on one folder gets: that folder's session and deploy progress. */
export interface CommandContext extends WorkspaceContext {
  session: Session;
  progress: DeployProgress;
}

interface CommandSpec {
  id: string;
  title: string;
  /** Commands that talk to the language server say why they cannot run yet instead of failing. */
  needsServer: boolean;
  /** Commands that start a server, connect or use a password: in Restricted Mode they say why not and offer trust. */
  needsDatabase?: boolean;
  /** Acts on one folder: the argument's (a tree row, a page button, a file), the active file's, or the one the user picks. */
  run?: (ctx: CommandContext, arg: unknown) => Promise<void>;
  /** Acts on the workspace, or finds its folder itself (Initialise asks among folders that are not served). */
  runInWorkspace?: (ctx: WorkspaceContext, arg: unknown) => Promise<void>;
}

async function sandbox(ctx: CommandContext, start: boolean): Promise<void> {
  const s = await ctx.session.request(start ? SandboxStartRequest.type : SandboxStopRequest.type, {}, start ? 'Start Sandbox' : 'Stop Sandbox');
  void ctx.editor.info(s.running ? `Sandbox running: ${s.server} on port ${s.port}.` : `Sandbox stopped (${s.reason}).`);
  ctx.refresh();
}

const SPECS: CommandSpec[] = [
  { id: Commands.createBranch, title: 'Create Branch', needsServer: true, needsDatabase: true, run: branch.createBranch },
  { id: Commands.deleteBranch, title: 'Delete Branch', needsServer: true, needsDatabase: true, run: branch.deleteBranch },
  { id: Commands.switchBranch, title: 'Switch Branch', needsServer: true, run: branch.switchBranch },
  { id: Commands.pullSchema, title: 'Pull Schema from Database', needsServer: true, needsDatabase: true, run: branch.pullSchema },
  { id: Commands.pushBranch, title: 'Push Branch', needsServer: true, needsDatabase: true, run: branch.pushBranch },
  { id: Commands.showDiff, title: 'Show Diff', needsServer: true, run: branch.showDiff },
  { id: Commands.compareWithMain, title: 'Compare with main', needsServer: false, runInWorkspace: branch.compareWithMain },
  { id: Commands.setPassword, title: 'Set Password', needsServer: true, run: branch.setPassword },
  { id: Commands.setSshPassphrase, title: 'Set SSH Key Passphrase', needsServer: false, runInWorkspace: branch.setSshPassphrase },
  { id: Commands.initialize, title: 'Initialise Schema Folder', needsServer: false, runInWorkspace: branch.initialize },
  { id: Commands.openDeployRequest, title: 'Open Deploy Request', needsServer: true, needsDatabase: true, run: dr.openDeployRequest },
  { id: Commands.openDeployRequestPage, title: 'Open Deploy Request Page', needsServer: true, needsDatabase: true, run: dr.openPage },
  { id: Commands.deploy, title: 'Deploy', needsServer: true, needsDatabase: true, run: dr.deploy },
  { id: Commands.apply, title: 'Apply (cut over)', needsServer: true, needsDatabase: true, run: dr.apply },
  { id: Commands.revert, title: 'Revert', needsServer: true, needsDatabase: true, run: dr.revert },
  { id: Commands.skipRevert, title: 'Skip Revert', needsServer: true, needsDatabase: true, run: dr.skipRevert },
  { id: Commands.revertOrSkip, title: 'Revert or Skip Revert', needsServer: true, needsDatabase: true, run: dr.revertOrSkip },
  { id: Commands.cancel, title: 'Cancel Deploy', needsServer: true, needsDatabase: true, run: dr.cancel },
  { id: Commands.pause, title: 'Pause Deploy', needsServer: true, needsDatabase: true, run: dr.pause },
  { id: Commands.resume, title: 'Resume Deploy', needsServer: true, needsDatabase: true, run: dr.resume },
  { id: Commands.close, title: 'Close Deploy Request', needsServer: true, needsDatabase: true, run: dr.close },
  { id: Commands.review, title: 'Review Deploy Request', needsServer: true, needsDatabase: true, run: dr.review },
  { id: Commands.tune, title: 'Tune Deploy', needsServer: true, needsDatabase: true, run: dr.tune },
  { id: Commands.startSandbox, title: 'Start Sandbox', needsServer: true, needsDatabase: true, run: (c) => sandbox(c, true) },
  { id: Commands.stopSandbox, title: 'Stop Sandbox', needsServer: true, needsDatabase: true, run: (c) => sandbox(c, false) },
  {
    id: Commands.showOutput,
    title: 'Show Output',
    needsServer: false,
    run: async (c) => {
      if (c.session.outputChannel) c.session.outputChannel.show(true);
      else await c.editor.info('The language server has not started yet, so there is no output.');
    },
  },
  {
    id: Commands.refresh,
    title: 'Refresh',
    needsServer: true,
    // Every folder: the view title's button refreshes the whole tree.
    runInWorkspace: async (c) => {
      await Promise.all(c.folders.list().map((s) => s.refreshDeployRequests()));
      c.refresh();
    },
  },
  { id: Commands.restartServer, title: 'Restart Language Server', needsServer: false, runInWorkspace: (c) => c.folders.restartAll() },
];

const TRUST_FIX = { label: 'Manage Workspace Trust', command: MANAGE_TRUST_COMMAND };

/** What a failure offers: the fix the server's reason points at. */
const FIX: Record<string, { label: string; command: string } | undefined> = {
  'no-password': { label: 'Set Password', command: Commands.setPassword },
  'no-passphrase': { label: 'Set SSH Key Passphrase', command: Commands.setSshPassphrase },
  'no-config': { label: 'Initialise', command: Commands.initialize },
  'server-unreachable': { label: 'Show Output', command: Commands.showOutput },
  untrusted: TRUST_FIX,
};

/** The fix and Show Output run in the failed command's folder (`folder`), so they ask nothing more. */
async function report(ctx: WorkspaceContext, message: string, fix?: { label: string; command: string }, folder?: string): Promise<void> {
  const actions = fix ? [fix.label, 'Show Output'] : ['Show Output'];
  const choice = await ctx.editor.error(message, ...actions);
  const arg = folder === undefined ? undefined : { folder };
  if (choice === fix?.label && fix) await ctx.editor.run(fix.command, arg);
  else if (choice === 'Show Output') await ctx.editor.run(Commands.showOutput, arg);
}

/** The folder's context, or undefined after saying why there is none (a dismissed pick says nothing). */
async function folderContext(ctx: WorkspaceContext, spec: CommandSpec, arg: unknown): Promise<CommandContext | undefined> {
  if (ctx.folders.list().length === 0) {
    await report(ctx, whyCannotRun(spec.title, { kind: 'no-workspace' }) ?? '');
    return undefined;
  }
  const session = await ctx.folders.choose(arg, spec.title);
  const progress = session && ctx.folders.progressOf(session);
  return session && progress ? { ...ctx, session, progress } : undefined;
}

export function registerCommands(ctx: WorkspaceContext): Disposable[] {
  return SPECS.map((spec) =>
    ctx.editor.registerCommand(spec.id, async (arg: unknown) => {
      // vscode-eslint's placeholder commands: in Restricted Mode the command says why it does not run and offers trust.
      if (spec.needsDatabase && !ctx.editor.isTrusted()) {
        await report(ctx, whyUntrusted(spec.title), TRUST_FIX);
        return;
      }
      let folder: string | undefined;
      try {
        if (spec.runInWorkspace) {
          await spec.runInWorkspace(ctx, arg);
          return;
        }
        const folderCtx = await folderContext(ctx, spec, arg);
        if (!folderCtx || !spec.run) return;
        folder = folderCtx.session.folder.uri;
        const why = spec.needsServer ? whyCannotRun(spec.title, folderCtx.session.state) : undefined;
        if (why) {
          await report(ctx, why, undefined, folder);
          return;
        }
        await spec.run(folderCtx, arg);
      } catch (err) {
        const f = describeFailure(spec.title, err);
        await report(ctx, f.message, f.reason ? FIX[f.reason] : undefined, folder);
      }
    }),
  );
}

/** For the package.json test: every command the code registers. */
export const COMMAND_IDS = SPECS.map((s) => s.id);
/** For the trust test: the commands that refuse to run in Restricted Mode. */
export const DATABASE_COMMAND_IDS = SPECS.filter((s) => s.needsDatabase).map((s) => s.id);
