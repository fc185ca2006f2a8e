export { Branches, type BranchSummary, type PushResult, type PullResult, type BranchDiff } from './branches.js';
export { BranchExistsError, MainIsProtectedError, PushFailedError } from './errors.js';
export { BranchHasProblemsError, BranchNotFoundError, formatProblem, loadBranch, loadValidBranch, readBranchFiles, type LoadedBranch, type SchemaFile } from './files.js';
export { BranchNameError, branchDatabase, branchFolder, MAIN, tableFileName, validateBranchName } from './names.js';
export { followDeploysInMainFiles, updateMainFiles, mainFilesBackup, type MainFilesUpdate } from './main-files.js';
