import pino from 'pino';

/**
 * What of an error may be written to a log. Errors carry what users sent: TypeORM's
 * QueryFailedError holds the query's `parameters` (a search string, a card number typed into a
 * search box) and PostgreSQL's own message, `detail` and `where` quote values (`invalid input
 * syntax for type uuid: "..."`, `Key (email)=(...) already exists`, `JSON data, line 1: ...`). A
 * database error is therefore logged by its SQLSTATE and the names of what it concerns (schema,
 * table, column, constraint), its SQL text and where in our code it was thrown, never its message.
 */

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** Conditions worth a name in a log line; the code alone says the rest (postgresql.org/docs/current/errcodes-appendix.html). */
const CONDITIONS: Record<string, string> = {
  '08006': 'connection_failure',
  '22001': 'string_data_right_truncation',
  '22003': 'numeric_value_out_of_range',
  '22007': 'invalid_datetime_format',
  '22008': 'datetime_field_overflow',
  '22021': 'character_not_in_repertoire',
  '22P02': 'invalid_text_representation',
  '22P05': 'untranslatable_character',
  '23502': 'not_null_violation',
  '23503': 'foreign_key_violation',
  '23505': 'unique_violation',
  '23514': 'check_violation',
  '40001': 'serialization_failure',
  '40P01': 'deadlock_detected',
  '42703': 'undefined_column',
  '42P01': 'undefined_table',
  '53300': 'too_many_connections',
  '54001': 'statement_too_complex',
  '57014': 'query_canceled',
  '57P01': 'admin_shutdown',
};

/** Fields of a PostgreSQL error that name our schema, never the data. */
const SCHEMA_FIELDS = ['schema', 'table', 'column', 'dataType', 'constraint', 'routine'] as const;

/** Fields no error of any kind may bring into a log: query parameters, the driver's raw error, bodies. */
const UNSAFE_FIELDS = ['parameters', 'driverError', 'detail', 'hint', 'where', 'body', 'rawBody', 'input'];

/** SQL text is ours; this much of it is enough to recognise the statement. */
const MAX_QUERY_LENGTH = 2_000;

interface DatabaseError {
  name?: string;
  code: string;
  query?: unknown;
  [field: string]: unknown;
}

/** A PostgreSQL error (pg's DatabaseError, TypeORM's QueryFailedError): a SQLSTATE with the server's fields. */
export function isDatabaseError(error: unknown): error is DatabaseError {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return (
    typeof code === 'string' &&
    SQLSTATE.test(code) &&
    ('severity' in error || 'routine' in error || 'driverError' in error)
  );
}

/** The first database error in the chain of causes (and TypeORM's driverError), if any. */
function databaseErrorIn(error: unknown): DatabaseError | null {
  let current: unknown = error;
  for (let hops = 0; hops < 8 && typeof current === 'object' && current !== null; hops++) {
    if (isDatabaseError(current)) return current;
    current = (current as { cause?: unknown }).cause ?? (current as { driverError?: unknown }).driverError;
  }
  return null;
}

/** The error's class, as pino names it. */
export function errorType(error: unknown): string {
  if (typeof error !== 'object' || error === null) return typeof error;
  const constructor = (error as { constructor?: { name?: unknown } }).constructor;
  if (typeof constructor?.name === 'string' && constructor.name !== 'Object') return constructor.name;
  const name = (error as { name?: unknown }).name;
  return typeof name === 'string' ? name : 'Error';
}

/** The stack's `at ...` lines only: where in our code, without the message that heads it. */
export function stackFrames(error: unknown): string | undefined {
  const stack = (error as { stack?: unknown } | null)?.stack;
  if (typeof stack !== 'string') return undefined;
  return stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .join('\n');
}

/** `SQLSTATE 23505 unique_violation, constraint customers_email_key on public.customers`: no value in it. */
function describeDatabaseError(error: DatabaseError): string {
  const condition = CONDITIONS[error.code];
  const parts = [`SQLSTATE ${error.code}${condition ? ` ${condition}` : ''}`];
  const name = (field: string) => (typeof error[field] === 'string' && error[field] !== '' ? error[field] : null);
  if (name('constraint')) parts.push(`constraint ${name('constraint')}`);
  const table = name('table');
  if (table)
    parts.push(`on ${name('schema') ? `${name('schema')}.` : ''}${table}${name('column') ? `.${name('column')}` : ''}`);
  return parts.join(', ');
}

export interface SafeError {
  /** The error's class (`QueryFailedError`, `TypeError`). */
  type: string;
  /** A message that carries no user input: for database errors the SQLSTATE and names; else only the class and code. */
  message: string;
  stack?: string;
  [field: string]: unknown;
}

/**
 * An error as it may be logged while handling a request: its class, a message built from nothing
 * the user sent, and where it was thrown. Messages of other errors are not kept: they too quote
 * input (JSON.parse's `Unexpected token ... "<the body>"`, Node's `Received ...`, a BigInt
 * conversion); the request id, the route and the stack say where to look.
 */
export function safeError(error: unknown): SafeError {
  const type = errorType(error);
  const database = databaseErrorIn(error);
  if (database) return databaseFields(type, database, error);
  const code = (error as { code?: unknown } | null)?.code;
  const withCode = typeof code === 'string' && /^[A-Z0-9_]{1,64}$/.test(code) ? code : undefined;
  return {
    type,
    message: `${type}${withCode ? ` (${withCode})` : ''}: message not logged, it may quote user input`,
    ...(withCode ? { code: withCode } : {}),
    stack: stackFrames(error),
  };
}

function databaseFields(type: string, database: DatabaseError, error: unknown): SafeError {
  const fields: SafeError = { type, message: describeDatabaseError(database), code: database.code };
  for (const field of SCHEMA_FIELDS) {
    if (typeof database[field] === 'string' && database[field] !== '') fields[field] = database[field];
  }
  const query = (error as { query?: unknown }).query ?? database.query;
  if (typeof query === 'string') fields.query = query.slice(0, MAX_QUERY_LENGTH);
  fields.stack = stackFrames(error);
  return fields;
}

/**
 * The process logger's `err` serializer, for whatever code logs `{ err }`: a database error (or one
 * caused by one) as `safeError` gives it; any other error as pino's standard serializer does
 * (start-up failures keep their message, `connect ECONNREFUSED ...`), less the fields that carry
 * input (`parameters`, `body`, ...).
 */
export function serializeError(error: unknown): unknown {
  // Not an Error: already made safe (safeError's result), or not an error at all.
  if (!(error instanceof Error)) return error;
  if (databaseErrorIn(error)) return safeError(error);
  const serialized = pino.stdSerializers.err(error) as unknown;
  const copy: Record<string, unknown> = { ...(serialized as Record<string, unknown>) };
  for (const field of UNSAFE_FIELDS) delete copy[field];
  return copy;
}
