import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { deleteStaffSession, findOrganisation, findStaffForSignIn, hashToken } from '@polyphony/db';
import { normaliseEmail } from '@polyphony/domain';
import { MeResponse, SignInRequest } from '@polyphony/protocol';
import { AppError } from '../../app-error.ts';
import { meResponse } from '../../auth/me.ts';
import { verifyPassword } from '../../auth/passwords.ts';
import {
  STAFF_COOKIE,
  clearStaffCookie,
  csrfTokenFor,
  setStaffCookie,
  startStaffSession,
} from '../../auth/staff-session.ts';
import { staffOf } from '../../plugins/auth.ts';
import { ERROR_RESPONSES } from '../schemas.ts';
import type { StaffRouteOptions } from '../staff-route-options.ts';

const session: FastifyPluginAsyncTypebox<StaffRouteOptions> = async (app, opts) => {
  const limits = opts.signInLimits;
  const perIp = app.createRateLimit({
    max: limits.perIp,
    timeWindow: limits.windowMs,
    keyGenerator: (request) => `sign-in:ip:${request.ip}`,
  });
  const perEmail = app.createRateLimit({
    max: limits.perEmail,
    timeWindow: limits.windowMs,
    keyGenerator: (request) => {
      // The body is validated by now: the same form of the address the lookup uses.
      const { email } = request.body as SignInRequest;
      return `sign-in:email:${hashToken(normaliseEmail(email))}`;
    },
  });

  app.post(
    '/api/session',
    {
      config: { csrf: 'origin' },
      schema: {
        summary: 'Sign in (sets the pp_staff cookie; answers with the CSRF token)',
        description: `Needs \`Origin: PUBLIC_ORIGIN\`. At most ${limits.perEmail} attempts a minute per e-mail and ${limits.perIp} per client address (429 RATE_LIMITED).`,
        tags: ['session'],
        body: SignInRequest,
        response: { 200: MeResponse, ...ERROR_RESPONSES },
      },
      preHandler: async (request, reply) => {
        const results = await Promise.all([perIp(request), perEmail(request)]);
        const waits = results.flatMap((r) =>
          !r.isAllowed && r.isExceeded ? [r.ttlInSeconds] : [],
        );
        if (waits.length > 0) {
          const seconds = Math.max(1, ...waits);
          reply.header('retry-after', String(seconds));
          throw new AppError('RATE_LIMITED', 'Too many attempts. Wait a minute and try again.');
        }
      },
    },
    async (request, reply) => {
      const db = app.database.db;
      const found = await findStaffForSignIn(db, normaliseEmail(request.body.email));
      const ok = await verifyPassword(found?.passwordHash ?? null, request.body.password);
      if (!found || !ok) {
        throw new AppError('INVALID_CREDENTIALS', 'That e-mail address and password do not match.');
      }
      const { passwordHash: _hash, ...staff } = found;
      const organisation = await findOrganisation(db, staff.organisationId);
      if (!organisation) throw new Error('staff without organisation');
      const session = await startStaffSession(db, staff.id, opts.now(), opts.sessionTtlMs);
      setStaffCookie(reply, session, opts.cookie);
      return meResponse(staff, organisation, session.csrfToken);
    },
  );

  app.delete(
    '/api/session',
    {
      schema: {
        summary: 'Sign out (ends the session and clears the cookie)',
        description: 'Needs `X-CSRF-Token` while signed in. Idempotent.',
        tags: ['session'],
        response: { 204: { type: 'null' }, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const token = request.cookies[STAFF_COOKIE];
      if (token) await deleteStaffSession(app.database.db, hashToken(token));
      clearStaffCookie(reply, opts.cookie);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/me',
    {
      config: { auth: 'staff' },
      schema: {
        summary: 'Who is signed in, and the CSRF token for this session',
        tags: ['session'],
        response: { 200: MeResponse, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { staff, organisation } = staffOf(request);
      const token = request.cookies[STAFF_COOKIE] ?? '';
      return meResponse(staff, organisation, csrfTokenFor(token));
    },
  );
};

export default session;
