import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createStaff, listStaff, setOrganisationContact, staffDirectory } from '@polyphony/db';
import { normaliseName } from '@polyphony/domain';
import {
  CreateStaffRequest,
  Organisation,
  UpdateOrganisationRequest,
  StaffDirectoryResponse,
  StaffListResponse,
  StaffMember,
} from '@polyphony/protocol';
import { AppError } from '../../app-error.ts';
import { toStaffMember } from '../../auth/me.ts';
import { hashPassword } from '../../auth/passwords.ts';
import { staffOf } from '../../plugins/auth.ts';
import { ERROR_RESPONSES } from '../schemas.ts';

const staffRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/staff',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Create a staff account with an initial password (admins)',
        tags: ['staff'],
        body: CreateStaffRequest,
        response: { 201: StaffMember, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const admin = staffOf(request);
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
    },
  );

  app.get(
    '/api/staff',
    {
      config: { auth: 'admin' },
      schema: {
        summary: "The organisation's staff (admins)",
        tags: ['staff'],
        response: { 200: StaffListResponse, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const rows = await listStaff(app.database.db, staffOf(request).staff.organisationId);
      return { staff: rows.map(toStaffMember) };
    },
  );

  app.patch(
    '/api/organisation',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Set or clear how people reach the organisation (admins)',
        description:
          'Free text on one line (at most 200 characters), e.g. a phone number. Shown to ' +
          'people whose personal link no longer works.',
        tags: ['staff'],
        body: UpdateOrganisationRequest,
        response: { 200: Organisation, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const contact = request.body.contact?.trim() ?? null;
      const row = await setOrganisationContact(
        app.database.db,
        staffOf(request).staff.organisationId,
        contact,
      );
      if (!row) throw new AppError('NOT_FOUND', 'There is no such organisation.');
      return { id: row.id, name: row.name, contact: row.contact };
    },
  );

  app.get(
    '/api/staff/directory',
    {
      config: { auth: 'staff' },
      schema: {
        summary: "The organisation's colleagues, without e-mail addresses, for picking a core team",
        tags: ['staff'],
        response: { 200: StaffDirectoryResponse, ...ERROR_RESPONSES },
      },
    },
    async (request) => ({
      staff: await staffDirectory(app.database.db, staffOf(request).staff.organisationId),
    }),
  );
};

export default staffRoutes;
