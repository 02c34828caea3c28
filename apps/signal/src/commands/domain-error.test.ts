import { describe, expect, it } from 'vitest';
import { DOMAIN_ERROR_KIND, type DomainErrorCode, type ErrorKind } from '@polyphony/domain';
import { ERROR_STATUS } from '@polyphony/protocol';
import { DomainRefusal } from './domain-error.ts';

const STATUS_OF_KIND = {
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  invalid: 400,
} as const satisfies Record<ErrorKind, number>;

describe('domain refusals', () => {
  it.each(Object.entries(DOMAIN_ERROR_KIND) as [DomainErrorCode, ErrorKind][])(
    '%s (%s) keeps its code and gets the status of its kind',
    (code, kind) => {
      const error = new DomainRefusal({ ok: false, code });
      expect(error.code).toBe(code);
      expect(ERROR_STATUS[error.code]).toBe(STATUS_OF_KIND[kind]);
      expect(error.message).not.toBe('');
    },
  );

  it('gives Retry-After seconds for a knock that came too soon', () => {
    const error = new DomainRefusal({ ok: false, code: 'KNOCK_TOO_SOON', retryAt: 61_000 });
    expect(error.retryAfterSeconds(1_000)).toBe(60);
    expect(error.retryAfterSeconds(61_000)).toBe(1);
    expect(new DomainRefusal({ ok: false, code: 'FORBIDDEN' }).retryAfterSeconds(0)).toBeNull();
  });
});
