import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STAFF_ROLES, type StaffRole } from './roles.ts';
import {
  ACCOUNT_CHANGES,
  SETUP_LINK_TTL_MS,
  disableRefusal,
  sessionsEndedBy,
  setupLinkStanding,
  type AccountChange,
  type SetupLinkFacts,
} from './staff-accounts.ts';

describe('which sessions each account change ends', () => {
  it.each<[AccountChange, string]>([
    ['disable', 'all'],
    ['enable', 'none'],
    ['change_password', 'others'],
    ['reset_password', 'all'],
  ])('%s ends %s', (change, ended) => {
    expect(sessionsEndedBy(change)).toBe(ended);
  });

  it('covers every change', () => {
    expect(ACCOUNT_CHANGES.map(sessionsEndedBy)).toHaveLength(ACCOUNT_CHANGES.length);
  });
});

describe('disableRefusal', () => {
  it.each<[string, StaffRole, boolean, number, string | null]>([
    ['the last enabled admin', 'admin', false, 1, 'last_enabled_admin'],
    ['an admin beside another', 'admin', false, 2, null],
    ['an admin already disabled', 'admin', true, 1, null],
    ['a clinician, no admin left to count', 'clinician', false, 1, null],
    ['a peer worker', 'peer_worker', false, 3, null],
  ])('%s', (_name, role, disabled, admins, refusal) => {
    expect(disableRefusal({ role, disabled }, admins)).toBe(refusal);
  });

  it('never leaves an organisation without an enabled admin (property)', () => {
    const account = fc.record({
      role: fc.constantFrom(...STAFF_ROLES),
      disabled: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(account, { minLength: 1, maxLength: 8 }), fc.nat(), (accounts, pick) => {
        const admins = accounts.filter((a) => a.role === 'admin' && !a.disabled).length;
        fc.pre(admins >= 1);
        const target = accounts[pick % accounts.length]!;
        const after =
          disableRefusal(target, admins) === null && target.role === 'admin' && !target.disabled
            ? admins - 1
            : admins;
        expect(after).toBeGreaterThanOrEqual(1);
      }),
    );
  });
});

describe('setupLinkStanding', () => {
  const T = 1_000_000;
  const fresh: SetupLinkFacts = {
    expiresAt: T + SETUP_LINK_TTL_MS,
    usedAt: null,
    accountDisabled: false,
  };
  it.each<[string, SetupLinkFacts, number, string]>([
    ['fresh', fresh, T, 'usable'],
    ['a moment before expiry', fresh, T + SETUP_LINK_TTL_MS - 1, 'usable'],
    ['at expiry', fresh, T + SETUP_LINK_TTL_MS, 'expired'],
    ['used', { ...fresh, usedAt: T }, T + 1, 'used'],
    ['used and expired', { ...fresh, usedAt: T }, T + 2 * SETUP_LINK_TTL_MS, 'used'],
    ['for a disabled account', { ...fresh, accountDisabled: true }, T, 'account_disabled'],
  ])('%s: %s', (_name, link, now, standing) => {
    expect(setupLinkStanding(link, now)).toBe(standing);
  });

  it('a used link never works again (property)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer(), fc.integer(), fc.boolean(), (exp, used, now, off) => {
        const link = { expiresAt: exp, usedAt: used, accountDisabled: off };
        expect(setupLinkStanding(link, now)).toBe('used');
      }),
    );
  });
});
