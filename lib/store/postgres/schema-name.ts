/** An unquoted PostgreSQL identifier (at most 63 bytes): safe to splice into SQL. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export function isSchemaName(value: unknown): value is string {
  return typeof value === 'string' && IDENTIFIER.test(value);
}

/** Quotes a checked schema name for use in SQL text (names can't be bound as parameters). */
export function quoteSchema(schema: string): string {
  if (!isSchemaName(schema)) throw new Error(`invalid schema name ${JSON.stringify(schema)}`);
  return `"${schema}"`;
}

/** Quotes a checked table name (the same rule as schema names). */
export function quoteTable(table: string): string {
  if (!isSchemaName(table)) throw new Error(`invalid table name ${JSON.stringify(table)}`);
  return `"${table}"`;
}
