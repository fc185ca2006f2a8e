/**
 * One status for the editor's status bar (rust-analyzer's serverStatus): the
 * workspace load, the configuration and the database, folded into one
 * health, database flag and message, re-sent whenever any of them changes.
 */
import type { ServerStatusParams } from './protocol.js';

export class ServerStatus {
  private loaded: string | undefined;
  private configProblem: string | undefined;
  private database: { reachable: boolean; message: string } | undefined;

  constructor(private readonly send: (status: ServerStatusParams) => void) {}

  workspaceLoaded(files: number, ms: number, configProblem: string | undefined): void {
    this.loaded = `Loaded ${files} schema files in ${ms} ms`;
    this.configProblem = configProblem;
    this.publish();
  }

  databaseReached(where: string): void {
    this.database = { reachable: true, message: `database ${where}` };
    this.publish();
  }

  databaseFailed(message: string): void {
    this.database = { reachable: false, message };
    this.publish();
  }

  current(): ServerStatusParams {
    const parts = [this.loaded ?? 'Loading schema files'];
    if (this.configProblem) parts.push(`schemabranch.json has problems: ${this.configProblem}`);
    if (this.database) parts.push(this.database.message);
    const health = this.configProblem || this.database?.reachable === false ? 'warning' : 'ok';
    return { health, database: this.database ? this.database.reachable : null, message: parts.join('; ') };
  }

  private publish(): void {
    if (this.loaded) this.send(this.current());
  }
}
