/**
 * The client's view of the custom LSP messages: a re-export of the one
 * declaration in server/src/protocol.ts, so names and payloads cannot drift.
 * Anything the client needs that the server does not declare yet goes here,
 * in one place, until it moves into the shared module.
 */
export * from '../../server/src/protocol.js';

/** Command ids the extension contributes (package.json "contributes.commands"). */
export const Commands = {
  createBranch: 'schemabranch.createBranch',
  deleteBranch: 'schemabranch.deleteBranch',
  switchBranch: 'schemabranch.switchBranch',
  pullSchema: 'schemabranch.pullSchema',
  pushBranch: 'schemabranch.pushBranch',
  openDeployRequest: 'schemabranch.openDeployRequest',
  openDeployRequestPage: 'schemabranch.openDeployRequestPage',
  deploy: 'schemabranch.deploy',
  apply: 'schemabranch.apply',
  revert: 'schemabranch.revert',
  skipRevert: 'schemabranch.skipRevert',
  revertOrSkip: 'schemabranch.revertOrSkip',
  cancel: 'schemabranch.cancel',
  pause: 'schemabranch.pause',
  resume: 'schemabranch.resume',
  close: 'schemabranch.close',
  review: 'schemabranch.review',
  tune: 'schemabranch.tune',
  showDiff: 'schemabranch.showDiff',
  compareWithMain: 'schemabranch.compareWithMain',
  setPassword: 'schemabranch.setPassword',
  setSshPassphrase: 'schemabranch.setSshPassphrase',
  startSandbox: 'schemabranch.startSandbox',
  stopSandbox: 'schemabranch.stopSandbox',
  showOutput: 'schemabranch.showOutput',
  refresh: 'schemabranch.refresh',
  initialize: 'schemabranch.initialize',
  restartServer: 'schemabranch.restartServer',
} as const;
