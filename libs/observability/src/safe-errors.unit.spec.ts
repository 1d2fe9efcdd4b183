import { describe, expect, it } from '@jest/globals';
import { QueryFailedError } from 'typeorm';
import { createProcessLogger } from './logging';
import { safeError } from './safe-errors';

const SEARCHED = '4000056655665556';

/** What pg's DatabaseError carries for `invalid input syntax for type uuid`, which quotes the value. */
function driverError(): Error {
  return Object.assign(new Error(`invalid input syntax for type uuid: "${SEARCHED}"`), {
    name: 'error',
    severity: 'ERROR',
    code: '22P02',
    detail: `Key (id)=(${SEARCHED})`,
    where: `unnamed portal parameter $1 = '${SEARCHED}'`,
    routine: 'string_to_uuid',
    table: 'customers',
    schema: 'public',
  });
}

function failedQuery(): QueryFailedError {
  return new QueryFailedError('SELECT * FROM customers WHERE id = $1', [`%${SEARCHED}%`, 51, 0], driverError());
}

function logged(error: unknown): string {
  const lines: string[] = [];
  const logger = createProcessLogger('api', { level: 'info', format: 'json' }, { write: (line) => lines.push(line) });
  logger.error({ err: error }, 'failed');
  return lines.join('');
}

describe('errors in logs', () => {
  it('a failing query: class, SQLSTATE, names and SQL text; no parameters, no message, no detail', () => {
    const line = logged(failedQuery());
    expect(line).not.toContain(SEARCHED);
    const { err } = JSON.parse(line) as { err: Record<string, unknown> };
    expect(err).toMatchObject({
      type: 'QueryFailedError',
      code: '22P02',
      message: 'SQLSTATE 22P02 invalid_text_representation, on public.customers',
      table: 'customers',
      routine: 'string_to_uuid',
      query: 'SELECT * FROM customers WHERE id = $1',
    });
    expect(err).not.toHaveProperty('parameters');
    expect(err).not.toHaveProperty('driverError');
    expect(String(err.stack)).toMatch(/^\s+at /);
  });

  it('an error caused by a failing query is logged as the query is', () => {
    const wrapped = new Error(`loading ${SEARCHED} failed`, { cause: failedQuery() });
    const line = logged(wrapped);
    expect(line).not.toContain(SEARCHED);
    expect(JSON.parse(line)).toMatchObject({ err: { type: 'Error', code: '22P02' } });
  });

  it('other errors keep their message (start-up failures need it) but lose fields that carry input', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'ECONNREFUSED',
      parameters: [SEARCHED],
      body: { card: SEARCHED },
    });
    const line = logged(error);
    expect(line).not.toContain(SEARCHED);
    expect(JSON.parse(line)).toMatchObject({
      err: { type: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:1', code: 'ECONNREFUSED' },
    });
  });

  it('safeError, for errors met while handling a request, keeps no message but the class and code', () => {
    const parse = (() => {
      try {
        JSON.parse(`{"card": ${SEARCHED}x}`);
      } catch (error) {
        return error;
      }
    })();
    const safe = safeError(parse);
    expect(JSON.stringify(safe)).not.toContain(SEARCHED);
    expect(safe).toMatchObject({
      type: 'SyntaxError',
      message: expect.stringMatching(/^SyntaxError: message not logged/),
    });
    const coded = safeError(Object.assign(new TypeError(`Received ${SEARCHED}`), { code: 'ERR_INVALID_ARG_TYPE' }));
    expect(coded).toMatchObject({ type: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
    expect(JSON.stringify(coded)).not.toContain(SEARCHED);
  });
});
