/**
 * The language server's entry. VS Code starts it over IPC; other editors run
 * `node dist/server.js --stdio`. Everything else lives in startServer.
 */
import { startServer } from './server.js';

const connection = startServer();
// A promise someone forgot must not take every editor feature down with it: log it (stdout is the protocol).
process.on('unhandledRejection', (reason) => connection.console.error(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));
