/** Every CLI command, in the order `schemabranch --help` lists them. */
import type { Command } from '../command.js';
import { branchCommand } from './branch.js';
import { deployRequestCommand } from './deploy-request.js';
import { diffCommand } from './diff.js';
import { initCommand } from './init.js';
import { lintCommand } from './lint.js';
import { sandboxCommand } from './sandbox.js';

export const commands: Command[] = [initCommand, branchCommand, deployRequestCommand, diffCommand, lintCommand, sandboxCommand];
