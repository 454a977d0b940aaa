import {
  bindMessage,
  closeStatementMessage,
  concatMessages,
  describeStatementMessage,
  executeMessage,
  parseMessage,
  syncMessage,
} from './pg-frontend-messages.js';
import type { SqlResult } from './sql-database.js';

/** A message of the backend as PGlite's protocol parser hands it over. */
interface BackendMessage {
  readonly name: string;
}

interface ParameterDescription extends BackendMessage {
  readonly dataTypeIDs: number[];
}

interface RowDescription extends BackendMessage {
  readonly fields: { name: string; dataTypeID: number }[];
}

interface DataRow extends BackendMessage {
  readonly fields: (string | null)[];
}

/**
 * The parts of a PGlite below query() that prepared statements use (public
 * members of PGlite since 0.2; the underscored ones are its own query locks).
 */
export interface PGliteProtocol {
  /** Runs messages up to a Sync; throws the first ErrorResponse after the whole reply is read. */
  execProtocol(
    message: Uint8Array,
    options?: { syncToFs?: boolean },
  ): Promise<{ messages: BackendMessage[] }>;
  _checkReady(): Promise<void>;
  _runExclusiveQuery<T>(work: () => Promise<T>): Promise<T>;
  _runExclusiveTransaction<T>(work: () => Promise<T>): Promise<T>;
  /** By type OID: how a parameter becomes text, and a column's text a value (PGlite's own tables). */
  readonly serializers: Record<number, ((value: unknown) => string) | undefined>;
  readonly parsers: Record<number, ((text: string, typeId: number) => unknown) | undefined>;
}

export function speaksProtocol(pglite: object): pglite is PGliteProtocol {
  const candidate = pglite as Partial<Record<keyof PGliteProtocol, unknown>>;
  return (
    typeof candidate.execProtocol === 'function' &&
    typeof candidate._checkReady === 'function' &&
    typeof candidate._runExclusiveQuery === 'function' &&
    typeof candidate._runExclusiveTransaction === 'function' &&
    typeof candidate.serializers === 'object' &&
    typeof candidate.parsers === 'object'
  );
}

interface PreparedStatement {
  readonly name: string;
  readonly parameterTypes: readonly number[];
  readonly columns: readonly { name: string; typeId: number }[];
}

/** Far above the store's fixed statements: a bound, not a working size. */
const MAX_STATEMENTS = 64;

/**
 * Errors after which a statement is prepared again and run once more (a failed
 * statement has not run): its name was freed (DEALLOCATE, DISCARD ALL), or a
 * schema change altered its result type ("cached plan must not change result type").
 */
const STALE_STATEMENT_CODES = new Set(['26000', '0A000']);

function isStaleStatement(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && STALE_STATEMENT_CODES.has(code);
}

const statementsOf = new WeakMap<PGliteProtocol, PGlitePreparedStatements>();

/**
 * Named prepared statements on one PGlite: each text is parsed and described
 * once, then each run is Bind, Execute and Sync in one call. PGlite's query()
 * sends six messages in six calls and parses and plans every time, which on
 * the embedded database costs more than the work itself. Rows come back as
 * query() gives them: the same type parsers, one object per row. It holds
 * PGlite's locks as query() does, so it waits for transactions.
 */
export class PGlitePreparedStatements {
  private readonly statements = new Map<string, PreparedStatement>();
  /** Names to Close with the next Parse: evicted, or gone stale. */
  private readonly unused: string[] = [];
  private sequence = 0;

  private constructor(private readonly pglite: PGliteProtocol) {}

  /** One set per PGlite, which holds the names: two databases over one PGlite share it. */
  static of(pglite: PGliteProtocol): PGlitePreparedStatements {
    let statements = statementsOf.get(pglite);
    if (!statements) {
      statements = new PGlitePreparedStatements(pglite);
      statementsOf.set(pglite, statements);
    }
    return statements;
  }

  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<SqlResult<Row>> {
    await this.pglite._checkReady();
    return this.pglite._runExclusiveTransaction(() =>
      this.pglite._runExclusiveQuery(async () => {
        try {
          return await this.run<Row>(sql, params);
        } catch (error) {
          if (!isStaleStatement(error)) throw error;
          this.forget(sql);
          return this.run<Row>(sql, params);
        }
      }),
    );
  }

  private async run<Row>(sql: string, params: readonly unknown[]): Promise<SqlResult<Row>> {
    const statement = this.statements.get(sql) ?? (await this.prepare(sql));
    const values = params.map((param, index) =>
      this.serialize(param, statement.parameterTypes[index]),
    );
    const { messages } = await this.pglite.execProtocol(
      concatMessages([bindMessage(statement.name, values), executeMessage(), syncMessage()]),
    );
    return { rows: this.rowsOf<Row>(messages, statement) };
  }

  private async prepare(sql: string): Promise<PreparedStatement> {
    if (this.statements.size >= MAX_STATEMENTS) this.forget(this.statements.keys().next().value!);
    const name = `dcr_prepared_${++this.sequence}`;
    const closes = this.unused.splice(0).map(closeStatementMessage);
    const { messages } = await this.pglite.execProtocol(
      concatMessages([
        ...closes,
        parseMessage(name, sql),
        describeStatementMessage(name),
        syncMessage(),
      ]),
      { syncToFs: false },
    );
    const parameters = messages.find(
      (message): message is ParameterDescription => message.name === 'parameterDescription',
    );
    const rows = messages.find(
      (message): message is RowDescription => message.name === 'rowDescription',
    );
    const statement: PreparedStatement = {
      name,
      parameterTypes: parameters?.dataTypeIDs ?? [],
      columns: rows?.fields.map((field) => ({ name: field.name, typeId: field.dataTypeID })) ?? [],
    };
    this.statements.set(sql, statement);
    return statement;
  }

  private forget(sql: string): void {
    const statement = this.statements.get(sql);
    if (!statement) return;
    this.statements.delete(sql);
    this.unused.push(statement.name);
  }

  /** As query() does: null stays null, a type PGlite has no serializer for becomes its string. */
  private serialize(param: unknown, typeId: number | undefined): string | null {
    if (param === null || param === undefined) return null;
    const serializer = typeId === undefined ? undefined : this.pglite.serializers[typeId];
    return serializer ? serializer(param) : String(param);
  }

  private rowsOf<Row>(messages: readonly BackendMessage[], statement: PreparedStatement): Row[] {
    const rows: Row[] = [];
    const { columns } = statement;
    for (const message of messages) {
      if (message.name !== 'dataRow') continue;
      const { fields } = message as DataRow;
      const row: Record<string, unknown> = {};
      for (let index = 0; index < columns.length; index++) {
        const { name, typeId } = columns[index]!;
        const text = fields[index] ?? null;
        const parser = this.pglite.parsers[typeId];
        row[name] = text === null ? null : parser ? parser(text, typeId) : text;
      }
      rows.push(row as Row);
    }
    return rows;
  }
}
