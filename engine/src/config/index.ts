export * from './types.js';
export { loadWorkspaceConfig, parseWorkspaceConfig, checkWorkspaceConfig, databaseNameFor, WorkspaceConfigError, type ConfigProblem } from './load.js';
export { lintConfigOf } from './lint.js';
