import type { StaffRole } from './roles.ts';

// Staff accounts over a year of running Polyphony: disabling and enabling people, passwords
// changed by their owner or reset by an admin through a one-time setup link. The signal service
// asks these; the storage only fetches the facts and carries out the answer.

/** What can happen to a staff account after it was created. */
export const ACCOUNT_CHANGES = ['disable', 'enable', 'change_password', 'reset_password'] as const;
export type AccountChange = (typeof ACCOUNT_CHANGES)[number];

/**
 * Which of the person's sessions end with each change: `all` (they are signed out everywhere,
 * their live channels close), `others` (every session but the one that made the change) or
 * `none`. A password set through a reset link ends every session: whoever knew the old password
 * is out, and the person signs in again with the new one on the device that used the link.
 */
export const SESSIONS_ENDED = {
  disable: 'all',
  enable: 'none',
  change_password: 'others',
  reset_password: 'all',
} as const satisfies Record<AccountChange, 'all' | 'others' | 'none'>;

export type SessionsEnded = (typeof SESSIONS_ENDED)[AccountChange];

export function sessionsEndedBy(change: AccountChange): SessionsEnded {
  return SESSIONS_ENDED[change];
}

/** A staff account as the rules see it. */
export interface AccountFacts {
  readonly role: StaffRole;
  readonly disabled: boolean;
}

/** Why an admin may not disable an account. */
export type DisableRefusal =
  /** It is the organisation's last enabled admin: nobody could manage staff any more. */
  'last_enabled_admin';

/**
 * Whether an admin may disable `target`, given how many enabled admins the organisation has
 * (the target included, if it is one). Null when they may. Disabling an account already
 * disabled changes nothing and is allowed (idempotent); an admin may disable their own account
 * while another enabled admin remains.
 */
export function disableRefusal(target: AccountFacts, enabledAdmins: number): DisableRefusal | null {
  if (target.disabled || target.role !== 'admin') return null;
  return enabledAdmins <= 1 ? 'last_enabled_admin' : null;
}

/**
 * How long an admin's password-reset link works. A day: long enough to reach a colleague on
 * another shift, short enough that a link lying in a chat is soon worthless.
 */
export const SETUP_LINK_TTL_MS = 24 * 60 * 60 * 1000;

/** A one-time setup link, in epoch milliseconds. */
export interface SetupLinkFacts {
  readonly expiresAt: number;
  /** When it was used to set a password; null while unused. */
  readonly usedAt: number | null;
  /** Whether the account it is for is disabled (a disabled person cannot set a password). */
  readonly accountDisabled: boolean;
}

export type SetupLinkStanding = 'usable' | 'used' | 'expired' | 'account_disabled';

/** A link works once, until (not at) `expiresAt`, and only for an enabled account. */
export function setupLinkStanding(link: SetupLinkFacts, now: number): SetupLinkStanding {
  if (link.usedAt !== null) return 'used';
  if (link.expiresAt <= now) return 'expired';
  if (link.accountDisabled) return 'account_disabled';
  return 'usable';
}
