import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  findMeetingInOrganisation,
  insertMeeting,
  listMeetingsInOrganisation,
} from '@polyphony/db';
import {
  CreateMeetingRequest,
  CreateMeetingResponse,
  IdParams,
  MeetingDetail,
  MeetingListQuery,
  MeetingListResponse,
} from '@polyphony/protocol';
import { AppError } from '../../app-error.ts';
import { meetingNotFound, readableMeeting } from '../../meetings/access.ts';
import { meetingCalendar } from '../../meetings/calendar.ts';
import { everyoneWithoutLink } from '../../meetings/everyone.ts';
import { planInvites } from '../../meetings/invites.ts';
import { afterCommands, runCommandsInTransaction } from '../../commands/runner.ts';
import { meetingDetail } from '../../meetings/views.ts';
import { manageableNetwork } from '../../networks/access.ts';
import { toMeetingSummary } from '../../networks/views.ts';
import { staffOf } from '../../plugins/auth.ts';
import { ERROR_RESPONSES } from '../schemas.ts';
import type { StaffRouteOptions } from '../staff-route-options.ts';

const meetingsRoutes: FastifyPluginAsyncTypebox<StaffRouteOptions> = async (app, opts) => {
  app.post(
    '/api/networks/:id/meetings',
    {
      config: { auth: 'staff' },
      schema: {
        summary: 'Create a meeting (immediate: live at once; scheduled: at `scheduledAt`)',
        description:
          'With `inviteEveryone: true` the answer also carries a personal link for every ' +
          'network member and core-team staff member (tokens shown only here).',
        tags: ['meetings'],
        params: IdParams,
        body: CreateMeetingRequest,
        response: { 201: CreateMeetingResponse, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const db = app.database.db;
      const session = staffOf(request);
      const { network } = await manageableNetwork(db, session, request.params.id);
      const { kind, scheduledAt, inviteEveryone } = request.body;
      if ((kind === 'scheduled') !== (scheduledAt !== undefined)) {
        throw new AppError(
          'VALIDATION_FAILED',
          'A scheduled meeting needs scheduledAt; an immediate one takes none.',
        );
      }
      const now = opts.now();
      const staffId = session.staff.id;
      const { meeting, links, result } = await db.transaction(async (tx) => {
        const meeting = await insertMeeting(tx, {
          networkId: network.id,
          scheduledAt: scheduledAt === undefined ? null : new Date(scheduledAt),
          createdBy: staffId,
          createdAt: new Date(now),
        });
        const invites = inviteEveryone
          ? planInvites(
              {
                meeting,
                staffId,
                now,
                inviteTtlMs: opts.inviteTtlMs,
                publicOrigin: opts.publicOrigin,
              },
              await everyoneWithoutLink(tx, meeting, now),
              { skipRefused: true },
            )
          : null;
        const result = await runCommandsInTransaction(
          app.commands,
          tx,
          meeting.id,
          async (t, state) => {
            const planned = invites ? await invites.prepare(t, state) : null;
            const open = { type: 'open_meeting', actorId: staffId } as const;
            return {
              commands: [...(kind === 'immediate' ? [open] : []), ...(planned?.commands ?? [])],
              actor: { staffId },
            };
          },
        );
        return { meeting, links: invites?.links ?? [], result };
      });
      await afterCommands(app.commands, result);
      const found = await findMeetingInOrganisation(db, session.staff.organisationId, meeting.id);
      return reply
        .code(201)
        .send({ meeting: await meetingDetail(db, found!, app.mail !== null), links });
    },
  );

  app.get(
    '/api/meetings',
    {
      config: { auth: 'staff' },
      schema: {
        summary: "The organisation's upcoming (scheduled) or live meetings",
        description: '`upcoming`: soonest first. `live`: latest start first.',
        tags: ['meetings'],
        querystring: MeetingListQuery,
        response: { 200: MeetingListResponse, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const rows = await listMeetingsInOrganisation(
        app.database.db,
        staffOf(request).staff.organisationId,
        request.query.state === 'upcoming' ? 'scheduled' : 'live',
      );
      return { meetings: rows.map((r) => toMeetingSummary(r.meeting, r.networkLabel)) };
    },
  );

  app.get(
    '/api/meetings/:id',
    {
      config: { auth: 'staff' },
      schema: {
        summary: 'A meeting: state, mode, time, network label, links and head-counts',
        tags: ['meetings'],
        params: IdParams,
        response: { 200: MeetingDetail, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const db = app.database.db;
      return meetingDetail(
        db,
        await readableMeeting(db, staffOf(request), request.params.id),
        app.mail !== null,
      );
    },
  );

  app.get(
    '/api/meetings/:id/calendar.ics',
    {
      config: { auth: 'staff' },
      schema: {
        summary: 'An iCalendar file for a scheduled meeting (names no one)',
        tags: ['meetings'],
        params: IdParams,
        produces: ['text/calendar'],
        response: {
          200: {
            description: 'text/calendar; one VEVENT, 60 minutes',
            content: { 'text/calendar': { schema: Type.String() } },
          },
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const db = app.database.db;
      const { meeting } = await readableMeeting(db, staffOf(request), request.params.id);
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
    },
  );
};

export default meetingsRoutes;
