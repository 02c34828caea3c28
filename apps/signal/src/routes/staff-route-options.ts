import type { CookieSettings } from '../auth/staff-session.ts';

/** What the staff-facing routes need from the app's configuration. */
export interface StaffRouteOptions {
  readonly now: () => number;
  readonly sessionTtlMs: number;
  readonly inviteTtlMs: number;
  readonly publicOrigin: string;
  readonly cookie: CookieSettings;
  readonly signInLimits: SignInLimits;
}

/** Sign-in attempts allowed per window, per client address and per e-mail address. */
export interface SignInLimits {
  readonly perIp: number;
  readonly perEmail: number;
  readonly windowMs: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = { perIp: 20, perEmail: 5, windowMs: 60_000 };
