/**
 * The language server's entry. VS Code starts it over IPC; other editors run
 * `node dist/server.js --stdio`. Everything else lives in startServer.
 */
import { startServer } from './server.js';

startServer();
