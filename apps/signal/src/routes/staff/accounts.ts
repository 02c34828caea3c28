import type { FastifyPluginAsync } from 'fastify';
import {
  createSetupLink,
  hashToken,
  listStaffAccounts,
  newSecretToken,
  setStaffDisabled,
  type StaffAccount as AccountRow,
} from '@polyphony/db';
import { disableRefusal, SETUP_LINK_TTL_MS } from '@polyphony/domain';
import type { StaffAccount } from '@polyphony/protocol';
import { AppError } from '../../app-error.ts';
import { endpoint } from '../endpoint.ts';
import type { StaffRouteOptions } from '../staff-route-options.ts';

export function toStaffAccount(row: AccountRow): StaffAccount {
  return {
    id: row.id,
    displayName: row.displayName,
    email: row.email,
    role: row.role,
    disabled: row.disabledAt !== null,
  };
}

const noSuchStaff = () => new AppError('NOT_FOUND', 'There is no such staff member.');

/** Admins manage accounts: the list, disabling and enabling, one-time password setup links. */
const staffAccounts: FastifyPluginAsync<StaffRouteOptions> = async (app, opts) => {
  endpoint(app, 'listStaff', async (request) => {
    const rows = await listStaffAccounts(
      app.database.db,
      request.actor.session.staff.organisationId,
    );
    return { staff: rows.map(toStaffAccount) };
  });

  endpoint(app, 'updateStaff', async (request) => {
    const { organisationId } = request.actor.session.staff;
    const staffId = request.params.id;
    const { disabled } = request.body;
    const result = await setStaffDisabled(app.database.db, {
      organisationId,
      staffId,
      disabled,
      at: new Date(opts.now()),
      refuse: disableRefusal,
      announce: (tx) => app.staffChannels.announce(tx, staffId, null),
    });
    if (result === 'not_found') throw noSuchStaff();
    if ('refused' in result) {
      throw new AppError('LAST_ADMIN', 'The last administrator cannot be disabled.');
    }
    if (disabled) app.staffChannels.ended(staffId, null);
    request.log.info({ staffId, disabled }, 'staff account changed');
    return toStaffAccount(result);
  });

  endpoint(app, 'createSetupLink', async (request, reply) => {
    const { session } = request.actor;
    const token = newSecretToken();
    const expiresAt = new Date(opts.now() + SETUP_LINK_TTL_MS);
    const result = await createSetupLink(app.database.db, {
      organisationId: session.staff.organisationId,
      staffId: request.params.id,
      tokenHash: hashToken(token),
      expiresAt,
      createdBy: session.staff.id,
    });
    if (result === 'not_found') throw noSuchStaff();
    if (result === 'disabled') {
      throw new AppError('CONFLICT', 'Enable this account before sending a setup link.');
    }
    return reply.code(201).send({
      token,
      path: `/staff/password/${token}`,
      expiresAt: expiresAt.toISOString(),
    });
  });
};

export default staffAccounts;
