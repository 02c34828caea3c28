import type { FastifyPluginAsync } from 'fastify';
import { deleteStaffSession, findOrganisation, findStaffForSignIn, hashToken } from '@polyphony/db';
import { normaliseEmail } from '@polyphony/domain';
import type { SignInRequest } from '@polyphony/protocol';
import { AppError } from '../../app-error.ts';
import { meResponse } from '../../auth/me.ts';
import { verifyPassword } from '../../auth/passwords.ts';
import { clearStaffCookie, setStaffCookie, startStaffSession } from '../../auth/staff-session.ts';
import { attemptLimits } from '../attempt-limits.ts';
import { endpoint } from '../endpoint.ts';
import type { StaffRouteOptions } from '../staff-route-options.ts';

const session: FastifyPluginAsync<StaffRouteOptions> = async (app, opts) => {
  const limits = opts.signInLimits;
  const limited = attemptLimits(app, [
    { max: limits.perIp, windowMs: limits.windowMs, key: (request) => `sign-in:ip:${request.ip}` },
    {
      max: limits.perEmail,
      windowMs: limits.windowMs,
      key: (request) => {
        // The body is validated by now: the same form of the address the lookup uses.
        const { email } = request.body as SignInRequest;
        return `sign-in:email:${hashToken(normaliseEmail(email))}`;
      },
    },
  ]);

  endpoint(
    app,
    'signIn',
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
    { preHandler: limited },
  );

  endpoint(app, 'signOut', async (request, reply) => {
    await deleteStaffSession(app.database.db, request.actor.tokenHash);
    clearStaffCookie(reply, opts.cookie);
    return reply.code(204).send(null);
  });

  endpoint(app, 'me', async (request) => {
    const { session, csrfToken } = request.actor;
    return meResponse(session.staff, session.organisation, csrfToken);
  });
};

export default session;
