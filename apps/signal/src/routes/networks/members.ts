import type { FastifyPluginAsync } from 'fastify';
import { addMember, deleteMember, findMember, updateMember } from '@polyphony/db';
import { normaliseName } from '@polyphony/domain';
import { AppError } from '../../app-error.ts';
import { changeableNetwork } from '../../networks/access.ts';
import { toNetworkMember } from '../../networks/views.ts';
import { endpoint } from '../endpoint.ts';
import type { StaffRouteOptions } from '../staff-route-options.ts';

const centreTaken = () =>
  new AppError('CENTRE_ALREADY_SET', 'This network already has a person at the centre.');
const memberNotFound = () => new AppError('NOT_FOUND', 'There is no such member.');

const members: FastifyPluginAsync<StaffRouteOptions> = async (app, opts) => {
  endpoint(app, 'addMember', async (request, reply) => {
    const db = app.database.db;
    const { network } = await changeableNetwork(db, request.actor.session, request.params.id);
    const { name, relationship, isCentre } = request.body;
    const row = await addMember(db, network.id, {
      name: normaliseName(name),
      relationship: relationship.trim(),
      isCentre,
    });
    if (row === 'centre_taken') throw centreTaken();
    return reply.code(201).send(toNetworkMember(row));
  });

  endpoint(app, 'updateMember', async (request) => {
    const db = app.database.db;
    const session = request.actor.session;
    const { network } = await changeableNetwork(db, session, request.params.id);
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
  });

  endpoint(app, 'removeMember', async (request, reply) => {
    const db = app.database.db;
    const { network } = await changeableNetwork(db, request.actor.session, request.params.id);
    if (!(await deleteMember(db, network.id, request.params.memberId))) throw memberNotFound();
    return reply.code(204).send(null);
  });
};

export default members;
