import type { FastifyPluginAsync } from 'fastify';
import { createStaff, setOrganisationContact, staffDirectory } from '@polyphony/db';
import { normaliseName } from '@polyphony/domain';
import { AppError } from '../../app-error.ts';
import { toStaffMember } from '../../auth/me.ts';
import { hashPassword } from '../../auth/passwords.ts';
import { endpoint } from '../endpoint.ts';

const staffRoutes: FastifyPluginAsync = async (app) => {
  endpoint(app, 'createStaff', async (request, reply) => {
    const admin = request.actor.session;
    const { displayName, email, role, password } = request.body;
    const created = await createStaff(app.database.db, admin.staff.organisationId, {
      displayName: normaliseName(displayName),
      email: email.trim(),
      role,
      passwordHash: await hashPassword(password),
    });
    if (created === 'email_taken') {
      throw new AppError('EMAIL_TAKEN', 'An account with this e-mail address already exists.');
    }
    return reply.code(201).send(toStaffMember(created));
  });

  endpoint(app, 'updateOrganisation', async (request) => {
    const contact = request.body.contact?.trim() ?? null;
    const row = await setOrganisationContact(
      app.database.db,
      request.actor.session.staff.organisationId,
      contact,
    );
    if (!row) throw new AppError('NOT_FOUND', 'There is no such organisation.');
    return { id: row.id, name: row.name, contact: row.contact };
  });

  endpoint(app, 'directory', async (request) => ({
    staff: await staffDirectory(app.database.db, request.actor.session.staff.organisationId),
  }));
};

export default staffRoutes;
