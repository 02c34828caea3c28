import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { addMember, deleteMember, findMember, updateMember } from '@polyphony/db';
import { normaliseName } from '@polyphony/domain';
import {
  AddMemberRequest,
  IdParams,
  MemberParams,
  NetworkMember,
  UpdateMemberRequest,
} from '@polyphony/protocol';
import { AppError } from '../../app-error.ts';
import { manageableNetwork } from '../../networks/access.ts';
import { toNetworkMember } from '../../networks/views.ts';
import { staffOf } from '../../plugins/auth.ts';
import { ERROR_RESPONSES } from '../schemas.ts';
import type { StaffRouteOptions } from '../staff-route-options.ts';

const centreTaken = () =>
  new AppError('CENTRE_ALREADY_SET', 'This network already has a person at the centre.');
const memberNotFound = () => new AppError('NOT_FOUND', 'There is no such member.');

const members: FastifyPluginAsyncTypebox<StaffRouteOptions> = async (app, opts) => {
  app.post(
    '/api/networks/:id/members',
    {
      config: { auth: 'staff' },
      schema: {
        summary: 'Add a member to a network (core team or admins)',
        description: 'At most one centre person per network (409 CENTRE_ALREADY_SET).',
        tags: ['networks'],
        params: IdParams,
        body: AddMemberRequest,
        response: { 201: NetworkMember, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const db = app.database.db;
      const { network } = await manageableNetwork(db, staffOf(request), request.params.id);
      const { name, relationship, isCentre } = request.body;
      const row = await addMember(db, network.id, {
        name: normaliseName(name),
        relationship: relationship.trim(),
        isCentre,
      });
      if (row === 'centre_taken') throw centreTaken();
      return reply.code(201).send(toNetworkMember(row));
    },
  );

  app.patch(
    '/api/networks/:id/members/:memberId',
    {
      config: { auth: 'staff' },
      schema: {
        summary: 'Change a member: name, relationship, centre person, pre-approval',
        description:
          '`preApproved: true` records the centre person’s advance consent to this person, ' +
          'with the time and the signed-in staff member; `false` clears it.',
        tags: ['networks'],
        params: MemberParams,
        body: UpdateMemberRequest,
        response: { 200: NetworkMember, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const db = app.database.db;
      const session = staffOf(request);
      const { network } = await manageableNetwork(db, session, request.params.id);
      const { name, relationship, isCentre, preApproved } = request.body;
      const current = await findMember(db, network.id, request.params.memberId);
      if (!current) throw memberNotFound();
      if (preApproved === true && (isCentre ?? current.isCentre)) {
        throw new AppError('VALIDATION_FAILED', 'The person at the centre needs no pre-approval.');
      }
      const row = await updateMember(db, network.id, current.id, {
        ...(name === undefined ? {} : { name: normaliseName(name) }),
        ...(relationship === undefined ? {} : { relationship: relationship.trim() }),
        ...(isCentre === undefined ? {} : { isCentre }),
        ...(preApproved === undefined
          ? {}
          : {
              preApproval: preApproved ? { at: new Date(opts.now()), by: session.staff.id } : null,
            }),
      });
      if (row === 'centre_taken') throw centreTaken();
      if (!row) throw memberNotFound();
      return toNetworkMember(row);
    },
  );

  app.delete(
    '/api/networks/:id/members/:memberId',
    {
      config: { auth: 'staff' },
      schema: {
        summary: 'Remove a member from a network (their personal links go with them)',
        tags: ['networks'],
        params: MemberParams,
        response: { 204: { type: 'null' }, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const db = app.database.db;
      const { network } = await manageableNetwork(db, staffOf(request), request.params.id);
      if (!(await deleteMember(db, network.id, request.params.memberId))) throw memberNotFound();
      return reply.code(204).send(null);
    },
  );
};

export default members;
