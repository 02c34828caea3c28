import type { FastifyPluginAsync } from 'fastify';
import {
  closeEpisode,
  insertMembers,
  insertNetwork,
  isUniqueViolation,
  setCoreTeam,
  staffIdsInOrganisation,
} from '@polyphony/db';
import { coreTeamRefusal, normaliseName } from '@polyphony/domain';
import { afterCommands } from '../../commands/runner.ts';
import { createMeetingInTransaction } from '../../meetings/create.ts';
import { readMeetingDetail } from '../../meetings/views.ts';
import { AppError } from '../../app-error.ts';
import { changeableNetwork, manageableNetwork, networkNotFound } from '../../networks/access.ts';
import { listNetworkSummaries, loadNetworkDetail } from '../../networks/views.ts';
import { endpoint } from '../endpoint.ts';
import type { StaffRouteOptions } from '../staff-route-options.ts';

const centreTaken = () =>
  new AppError('CENTRE_ALREADY_SET', 'A network has one person at the centre.');

const networks: FastifyPluginAsync<StaffRouteOptions> = async (app, opts) => {
  endpoint(app, 'createNetwork', async (request, reply) => {
    const { staff } = request.actor.session;
    const db = app.database.db;
    const { label, firstContactAt, coreTeamStaffIds, members = [], startMeeting } = request.body;
    const known = await staffIdsInOrganisation(db, staff.organisationId, coreTeamStaffIds);
    if (known.size !== coreTeamStaffIds.length) {
      throw new AppError('VALIDATION_FAILED', 'Every core-team member must be staff here.');
    }
    // One transaction: the network, its team, its people and the first meeting, or nothing.
    const created = await db
      .transaction(async (tx) => {
        const network = await insertNetwork(tx, {
          organisationId: staff.organisationId,
          label: label.trim(),
          firstContactAt: new Date(firstContactAt),
          coreTeamStaffIds,
          createdBy: staff.id,
        });
        await insertMembers(
          tx,
          network.id,
          members.map((m) => ({
            name: normaliseName(m.name),
            relationship: m.relationship.trim(),
            isCentre: m.isCentre,
          })),
        );
        const meeting = startMeeting
          ? await createMeetingInTransaction(app, opts, tx, {
              networkId: network.id,
              staffId: staff.id,
              kind: 'immediate',
              scheduledAt: null,
              inviteEveryone: true,
            })
          : null;
        return { network, meeting };
      })
      .catch((err: unknown) => {
        if (isUniqueViolation(err)) throw centreTaken();
        throw err;
      });
    let startedMeeting = {};
    if (created.meeting) {
      await afterCommands(app.commands, created.meeting.result);
      startedMeeting = {
        startedMeeting: {
          meeting: await readMeetingDetail(
            db,
            staff.organisationId,
            created.meeting.meeting.id,
            app.mail !== null,
          ),
          links: created.meeting.links,
        },
      };
    }
    const detail = await loadNetworkDetail(
      db,
      staff.organisationId,
      created.network.id,
      opts.now(),
    );
    return reply.code(201).send({ ...detail!, ...startedMeeting });
  });

  endpoint(app, 'setCoreTeam', async (request) => {
    const { session } = request.actor;
    const { staff } = session;
    const db = app.database.db;
    const { network } = await changeableNetwork(db, session, request.params.id);
    const { staffIds } = request.body;
    if (coreTeamRefusal(staffIds) !== null) {
      throw new AppError('VALIDATION_FAILED', 'A core team needs at least one person.');
    }
    const known = await staffIdsInOrganisation(db, staff.organisationId, staffIds);
    if (known.size !== staffIds.length) {
      throw new AppError('VALIDATION_FAILED', 'Every core-team member must be staff here.');
    }
    await setCoreTeam(db, network.id, staffIds, new Date(opts.now()));
    return (await loadNetworkDetail(db, staff.organisationId, network.id, opts.now()))!;
  });

  endpoint(app, 'closeEpisode', async (request) => {
    const { session } = request.actor;
    const db = app.database.db;
    const { network } = await manageableNetwork(db, session, request.params.id);
    const closed = await closeEpisode(
      db,
      session.staff.organisationId,
      network.id,
      new Date(opts.now()),
      session.staff.id,
    );
    if (!closed) throw networkNotFound();
    return (await loadNetworkDetail(db, session.staff.organisationId, network.id, opts.now()))!;
  });

  endpoint(app, 'listNetworks', async (request) => {
    const { staff } = request.actor.session;
    return {
      networks: await listNetworkSummaries(app.database.db, staff.organisationId, opts.now()),
    };
  });

  endpoint(app, 'network', async (request) => {
    const { staff } = request.actor.session;
    const detail = await loadNetworkDetail(
      app.database.db,
      staff.organisationId,
      request.params.id,
      opts.now(),
    );
    if (!detail) throw networkNotFound();
    return detail;
  });
};

export default networks;
