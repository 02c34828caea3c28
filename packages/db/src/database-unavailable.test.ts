import { describe, expect, it } from 'vitest';
import { DrizzleQueryError } from 'drizzle-orm';
import { databaseUnavailableCode } from './database-unavailable.ts';

const withCode = (code: string, message = 'driver said no') =>
  Object.assign(new Error(message), { code });
/** As drizzle hands a driver's error on: the query and its parameters, the driver's as cause. */
const wrapped = (cause: Error) =>
  new DrizzleQueryError('select * from staff where email = $1', ['a@example.org'], cause);

describe('databaseUnavailableCode', () => {
  it.each([
    ['refused connection', withCode('ECONNREFUSED'), 'ECONNREFUSED'],
    ['reset connection', withCode('ECONNRESET'), 'ECONNRESET'],
    ['connect timeout (driver)', withCode('CONNECT_TIMEOUT'), 'CONNECT_TIMEOUT'],
    ['connection closed (driver)', withCode('CONNECTION_CLOSED'), 'CONNECTION_CLOSED'],
    ['connection ended (driver)', withCode('CONNECTION_ENDED'), 'CONNECTION_ENDED'],
    ['server shutting down', withCode('57P01'), '57P01'],
    ['server crashed', withCode('57P02'), '57P02'],
    ['server starting up', withCode('57P03'), '57P03'],
    ['statement timeout', withCode('57014'), '57014'],
    ['too many connections', withCode('53300'), '53300'],
    ['connection exception class 08', withCode('08006'), '08006'],
    ['wrapped by drizzle', wrapped(withCode('ECONNREFUSED')), 'ECONNREFUSED'],
    ['wrapped twice', new Error('outer', { cause: wrapped(withCode('57P01')) }), '57P01'],
  ])('%s: retryable, code %s', (_what, err, code) => {
    expect(databaseUnavailableCode(err)).toBe(code);
  });

  it.each([
    ['unique violation', wrapped(withCode('23505'))],
    ['syntax error', withCode('42601')],
    ['NUL byte in text', withCode('22021')],
    ['no code', new Error('plain')],
    ['not an error', { code: 'ECONNREFUSED' }],
    ['nothing', undefined],
    [
      'a cause cycle',
      (() => {
        const e = withCode('XX000');
        (e as { cause?: unknown }).cause = e;
        return e;
      })(),
    ],
  ])('%s: not an outage', (_what, err) => {
    expect(databaseUnavailableCode(err)).toBeNull();
  });
});
