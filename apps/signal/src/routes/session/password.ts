import type { FastifyPluginAsync } from 'fastify';
import {
  changeOwnPassword,
  findOrganisation,
  findPasswordHash,
  findSetupLink,
  hashToken,
  useSetupLink,
} from '@polyphony/db';
import { setupLinkStanding } from '@polyphony/domain';
import { AppError } from '../../app-error.ts';
import { meResponse } from '../../auth/me.ts';
import { hashPassword, verifyPassword } from '../../auth/passwords.ts';
import { setStaffCookie, startStaffSession } from '../../auth/staff-session.ts';
import { attemptLimits } from '../attempt-limits.ts';
import { endpoint, type EndpointRequest } from '../endpoint.ts';
import type { StaffRouteOptions } from '../staff-route-options.ts';

const linkInvalid = () =>
  new AppError('LINK_INVALID', 'This link does not work any more. Ask an administrator.');

/** Passwords: one's own change, and the one-time setup link an admin sends. */
const passwords: FastifyPluginAsync<StaffRouteOptions> = async (app, opts) => {
  const db = () => app.database.db;
  const limits = opts.signInLimits;
  // Guessing one's current password with a stolen session is sign-in by another door: the same
  // per-person count. A setup link is long and random; the per-address count keeps it so.
  const perPerson = attemptLimits(app, [
    {
      max: limits.perEmail,
      windowMs: limits.windowMs,
      key: (request) =>
        `password:staff:${(request as unknown as EndpointRequest<'changePassword'>).actor.session.staff.id}`,
    },
  ]);
  const perAddress = attemptLimits(app, [
    {
      max: limits.perIp,
      windowMs: limits.windowMs,
      key: (request) => `setup-link:ip:${request.ip}`,
    },
  ]);

  endpoint(
    app,
    'changePassword',
    async (request, reply) => {
      const { session } = request.actor;
      const staffId = session.staff.id;
      const stored = await findPasswordHash(db(), staffId);
      if (!(await verifyPassword(stored, request.body.currentPassword))) {
        throw new AppError('WRONG_PASSWORD', 'That is not your current password.');
      }
      await changeOwnPassword(db(), {
        staffId,
        passwordHash: await hashPassword(request.body.newPassword),
        keepSessionId: session.sessionId,
        announce: (tx) => app.staffChannels.announce(tx, staffId, session.sessionId),
      });
      app.staffChannels.ended(staffId, session.sessionId);
      return reply.code(204).send(null);
    },
    { preHandler: perPerson },
  );

  endpoint(
    app,
    'setupLinkPreview',
    async (request) => {
      const link = await findSetupLink(db(), hashToken(request.params.token));
      if (!link || setupLinkStanding(link.facts, opts.now()) !== 'usable') throw linkInvalid();
      const organisation = await findOrganisation(db(), link.staff.organisationId);
      return {
        displayName: link.staff.displayName,
        organisationName: organisation?.name ?? '',
        expiresAt: new Date(link.facts.expiresAt).toISOString(),
      };
    },
    { preHandler: perAddress },
  );

  endpoint(
    app,
    'useSetupLink',
    async (request, reply) => {
      const now = opts.now();
      const used = await useSetupLink(db(), {
        tokenHash: hashToken(request.params.token),
        passwordHash: await hashPassword(request.body.password),
        at: new Date(now),
        usable: (facts) => setupLinkStanding(facts, now) === 'usable',
        announce: (tx, staffId) => app.staffChannels.announce(tx, staffId, null),
      });
      if (!used) throw linkInvalid();
      app.staffChannels.ended(used.staff.id, null);
      const session = await startStaffSession(db(), used.staff.id, now, opts.sessionTtlMs);
      setStaffCookie(reply, session, opts.cookie);
      return meResponse(used.staff, used.organisation, session.csrfToken);
    },
    { preHandler: perAddress },
  );
};

export default passwords;
