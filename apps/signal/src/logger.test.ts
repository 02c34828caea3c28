import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, serializeError } from './logger.ts';

/** What drizzle throws for a failed query: the SQL and its parameters in the message. */
function failedQuery(): Error {
  const cause = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
    code: '22021',
  });
  return new Error(
    'Failed query: select "password_hash" from "staff" where lower("email") = $1\n' +
      'params: ada\u0000@example.org,$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    { cause },
  );
}

describe('error log lines', () => {
  it('carry the kind and codes of a failed query, never its text or parameters', () => {
    const line = JSON.stringify(serializeError(failedQuery()));
    expect(line).toContain('"causeCode":"22021"');
    expect(line).toContain('at ');
    for (const leak of ['example.org', 'argon2id', 'params', 'password_hash', 'Failed query']) {
      expect(line).not.toContain(leak);
    }
  });

  it('keep a message-less stack when the message spans lines', () => {
    const err = new Error('first\nsecond line with Ada Lovelace\n    at fake (x.ts:1:1)');
    const { stack } = serializeError(err) as { stack: string };
    expect(stack).not.toContain('Ada');
    expect(stack.split('\n').every((l) => /^\s+at /.test(l))).toBe(true);
  });

  it('leave out anything else that names a person or a secret, by key', () => {
    const lines: string[] = [];
    const logger = createLogger(
      'info',
      new Writable({
        write(chunk: Buffer, _e, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    logger.error(
      {
        err: failedQuery(),
        email: 'ada@example.org',
        password: 'hunter2-hunter2',
        body: { name: 'Ada Lovelace' },
        params: ['Ada Lovelace'],
      },
      'failed',
    );
    const out = lines.join('');
    for (const leak of ['example.org', 'hunter2', 'Ada Lovelace']) expect(out).not.toContain(leak);
  });
});
