/**
 * Branch schemas as the server would store them, so a file that spells out
 * every default (one written by `branch pull`) and one that relies on them
 * diff as equal. Until the server has been asked, MariaDB's usual defaults
 * are assumed; each table is normalized once per parse.
 */
import type { Schema, SchemaEngine, ServerDefaults, Table } from '../engine.js';
import type { BranchModel } from '../workspace/branch-model.js';

/** What a fresh MariaDB database uses when nothing else is known. */
export const ASSUMED_DEFAULTS: ServerDefaults = { flavor: 'mariadb', charset: 'utf8mb4', collation: 'utf8mb4_general_ci', engine: 'InnoDB' };

export class SchemaNormalizer {
  private defaults: ServerDefaults = ASSUMED_DEFAULTS;
  private tables = new WeakMap<Table, Table>();
  private schemas = new WeakMap<BranchModel, Schema>();

  constructor(private readonly engine: SchemaEngine) {}

  /** The server's real defaults, once known: everything is normalized again. */
  setDefaults(defaults: ServerDefaults): void {
    this.defaults = defaults;
    this.tables = new WeakMap();
    this.schemas = new WeakMap();
  }

  schemaOf(model: BranchModel): Schema {
    let schema = this.schemas.get(model);
    if (!schema) {
      // Views, triggers, routines and events need no server defaults: two sets of files compare them by their text as written.
      schema = { ...model.schema, tables: model.schema.tables.map((t) => this.table(t)) };
      this.schemas.set(model, schema);
    }
    return schema;
  }

  /** The normalized table `name` of a branch (its first definition), if the branch has it. */
  tableOf(model: BranchModel, name: string): Table | undefined {
    const t = model.definitions.get(name)?.[0]?.table;
    return t && this.table(t);
  }

  private table(t: Table): Table {
    let n = this.tables.get(t);
    if (!n) {
      n = this.engine.normalizeTable(t, this.defaults);
      this.tables.set(t, n);
    }
    return n;
  }
}
