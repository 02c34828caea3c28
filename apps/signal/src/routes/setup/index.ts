import type { FastifyPluginAsync } from 'fastify';
import { countStaff, setupOrganisation } from '@polyphony/db';
import { normaliseName } from '@polyphony/domain';
import { AppError } from '../../app-error.ts';
import { meResponse } from '../../auth/me.ts';
import { hashPassword } from '../../auth/passwords.ts';
import { setStaffCookie, startStaffSession } from '../../auth/staff-session.ts';
import { endpoint } from '../endpoint.ts';
import type { StaffRouteOptions } from '../staff-route-options.ts';

const setup: FastifyPluginAsync<StaffRouteOptions> = async (app, opts) => {
  endpoint(app, 'setupStatus', async () => ({
    needed: (await countStaff(app.database.db)) === 0,
  }));

  endpoint(app, 'setup', async (request, reply) => {
    const db = app.database.db;
    const done = () => new AppError('SETUP_ALREADY_DONE', 'This service is already set up.');
    if ((await countStaff(db)) > 0) throw done();
    const { organisationName, organisationContact, displayName, email, password } = request.body;
    const result = await setupOrganisation(db, {
      organisationName: organisationName.trim(),
      organisationContact: organisationContact?.trim() ?? null,
      admin: {
        displayName: normaliseName(displayName),
        email,
        passwordHash: await hashPassword(password),
      },
    });
    if (!result) throw done();
    const session = await startStaffSession(db, result.staff.id, opts.now(), opts.sessionTtlMs);
    setStaffCookie(reply, session, opts.cookie);
    return reply.code(201).send(meResponse(result.staff, result.organisation, session.csrfToken));
  });
};

export default setup;
