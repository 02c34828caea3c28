import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { countStaff, setupOrganisation } from '@polyphony/db';
import { normaliseName } from '@polyphony/domain';
import { MeResponse, SetupRequest, SetupStatusResponse } from '@polyphony/protocol';
import { AppError } from '../../app-error.ts';
import { meResponse } from '../../auth/me.ts';
import { hashPassword } from '../../auth/passwords.ts';
import { setStaffCookie, startStaffSession } from '../../auth/staff-session.ts';
import { ERROR_RESPONSES } from '../schemas.ts';
import type { StaffRouteOptions } from '../staff-route-options.ts';

const setup: FastifyPluginAsyncTypebox<StaffRouteOptions> = async (app, opts) => {
  app.get(
    '/api/setup',
    {
      schema: {
        summary: 'Whether first-run setup is needed (no staff exist yet)',
        tags: ['setup'],
        response: { 200: SetupStatusResponse, ...ERROR_RESPONSES },
      },
    },
    async () => ({ needed: (await countStaff(app.database.db)) === 0 }),
  );

  app.post(
    '/api/setup',
    {
      config: { csrf: 'origin' },
      schema: {
        summary: 'Create the organisation and its first admin, and sign them in',
        description:
          'Only while no staff exist (409 SETUP_ALREADY_DONE after). Needs `Origin: PUBLIC_ORIGIN`.',
        tags: ['setup'],
        body: SetupRequest,
        response: { 201: MeResponse, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
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
    },
  );
};

export default setup;
