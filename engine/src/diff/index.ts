export type { ChangeClass, ChangeReason, SchemaChange } from './change.js';
export { diffSchemas, diffTables, type DiffOptions } from './diff.js';
export { classifyAddedColumn, classifyColumnChange, classifyTypeChange, worstClass } from './classify.js';
