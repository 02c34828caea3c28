import type { FastifyPluginAsync } from 'fastify';
import { listMeetingsInOrganisation } from '@polyphony/db';
import { AppError } from '../../app-error.ts';
import { meetingNotFound, readableMeeting } from '../../meetings/access.ts';
import { meetingCalendar } from '../../meetings/calendar.ts';
import { afterCommands } from '../../commands/runner.ts';
import { createMeetingInTransaction } from '../../meetings/create.ts';
import { readMeetingDetail } from '../../meetings/views.ts';
import { changeableNetwork } from '../../networks/access.ts';
import { toMeetingSummary } from '../../networks/views.ts';
import { endpoint } from '../endpoint.ts';
import type { StaffRouteOptions } from '../staff-route-options.ts';

const meetingsRoutes: FastifyPluginAsync<StaffRouteOptions> = async (app, opts) => {
  endpoint(app, 'createMeeting', async (request, reply) => {
    const db = app.database.db;
    const session = request.actor.session;
    const { network } = await changeableNetwork(db, session, request.params.id);
    const { kind, scheduledAt, inviteEveryone } = request.body;
    if ((kind === 'scheduled') !== (scheduledAt !== undefined)) {
      throw new AppError(
        'VALIDATION_FAILED',
        'A scheduled meeting needs scheduledAt; an immediate one takes none.',
      );
    }
    const { meeting, links, result } = await app.database.db.transaction((tx) =>
      createMeetingInTransaction(app, opts, tx, {
        networkId: network.id,
        staffId: session.staff.id,
        kind,
        scheduledAt: scheduledAt === undefined ? null : new Date(scheduledAt),
        inviteEveryone: inviteEveryone === true,
      }),
    );
    await afterCommands(app.commands, result);
    const detail = await readMeetingDetail(
      db,
      session.staff.organisationId,
      meeting.id,
      app.mail !== null,
    );
    return reply.code(201).send({ meeting: detail, links });
  });

  endpoint(app, 'listMeetings', async (request) => {
    const rows = await listMeetingsInOrganisation(
      app.database.db,
      request.actor.session.staff.organisationId,
      request.query.state === 'upcoming' ? 'scheduled' : 'live',
    );
    return { meetings: rows.map((r) => toMeetingSummary(r.meeting, r.networkLabel)) };
  });

  endpoint(app, 'meeting', async (request) => {
    return readMeetingDetail(
      app.database.db,
      request.actor.session.staff.organisationId,
      request.params.id,
      app.mail !== null,
    );
  });

  endpoint(app, 'meetingCalendar', async (request, reply) => {
    const db = app.database.db;
    const { meeting } = await readableMeeting(db, request.actor.session, request.params.id);
    if (!meeting.scheduledAt) throw meetingNotFound();
    const ics = meetingCalendar({
      meetingId: meeting.id,
      startsAt: meeting.scheduledAt.getTime(),
      now: opts.now(),
      host: new URL(opts.publicOrigin).host,
    });
    return reply
      .type('text/calendar; charset=utf-8')
      .header('content-disposition', 'attachment; filename="network-meeting.ics"')
      .send(ics);
  });
};

export default meetingsRoutes;
