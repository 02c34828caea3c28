import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { findStaffSession, hashToken, type StaffSessionView } from '@polyphony/db';
import { mayManageStaff } from '@polyphony/domain';
import { AppError } from '../app-error.ts';
import { CSRF_HEADER, STAFF_COOKIE, csrfTokenMatches } from '../auth/staff-session.ts';

/**
 * Per-route security settings (`config` in the route options):
 * - `auth`: `staff` needs a signed-in staff member (401), `admin` an admin (403 otherwise);
 * - `csrf`: how a state-changing request proves it comes from our pages. `session` (default):
 *   the session's token in `X-CSRF-Token` when signed in, else the `Origin` check. `origin`:
 *   always the `Origin` check (setup, sign-in). `none`: neither (signed webhooks).
 */
declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: 'staff' | 'admin';
    csrf?: 'session' | 'origin' | 'none';
  }
  interface FastifyRequest {
    /** The signed-in staff member's live session, if any. */
    staffSession: StaffSessionView | null;
  }
}

export interface AuthPluginOptions {
  readonly publicOrigin: string;
  readonly now: () => number;
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The signed-in staff member; for routes with `config.auth`, which guarantees one. */
export function staffOf(request: FastifyRequest): StaffSessionView {
  if (!request.staffSession) throw new AppError('UNAUTHENTICATED', 'Please sign in.');
  return request.staffSession;
}

/**
 * Resolves the staff session cookie, enforces `config.auth`, and checks CSRF before the body
 * is validated or any handler runs (ADR 0007: synchronizer token, Origin for sign-in).
 */
export default fp<AuthPluginOptions>(
  async (app, opts) => {
    app.decorateRequest('staffSession', null);
    app.addHook('preValidation', async (request) => {
      const token = request.cookies[STAFF_COOKIE];
      if (token) {
        const session = await findStaffSession(app.database.db, hashToken(token));
        if (session && session.expiresAt.getTime() > opts.now()) request.staffSession = session;
      }
      const config = request.routeOptions.config;
      if (config.auth && !request.staffSession) {
        throw new AppError('UNAUTHENTICATED', 'Please sign in.');
      }
      const staff = request.staffSession?.staff;
      if (config.auth === 'admin' && staff && !mayManageStaff(staff.role)) {
        throw new AppError('FORBIDDEN', 'Only an administrator can do this.');
      }
      if (!UNSAFE_METHODS.has(request.method)) return;
      const csrf = config.csrf ?? 'session';
      if (csrf === 'none') return;
      if (csrf === 'session' && request.staffSession) {
        const presented = request.headers[CSRF_HEADER];
        if (
          typeof presented !== 'string' ||
          !csrfTokenMatches(presented, request.staffSession.csrfTokenHash)
        ) {
          throw new AppError('CSRF_FAILED', 'This request could not be verified. Reload the page.');
        }
        return;
      }
      if (request.headers.origin !== opts.publicOrigin) {
        throw new AppError('ORIGIN_REJECTED', 'This request came from another site.');
      }
    });
  },
  { name: 'auth', dependencies: ['db'] },
);
