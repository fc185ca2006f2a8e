/**
 * The language server's entry. VS Code starts it over IPC; other editors run
 * `node dist/server.js --stdio`. Everything else lives in startServer.
 */
import { SAVED_PASSWORDS_ENV } from './protocol.js';
import { startServer } from './server.js';

// The saved passwords are read once and leave the environment: a program the server starts (the sandbox) never inherits them.
const env = { ...process.env };
delete process.env[SAVED_PASSWORDS_ENV];
const connection = startServer({ env });
// A promise someone forgot must not take every editor feature down with it: log it (stdout is the protocol).
process.on('unhandledRejection', (reason) => connection.console.error(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));
