import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { eventsSince, participantNames } from '@polyphony/db';
import { namesShownInTimeline } from '@polyphony/domain';
import {
  CommandResponse,
  IdParams,
  RecordRequest,
  RecordResponse,
  TimelineResponse,
  type LiveEvent,
} from '@polyphony/protocol';
import { committed, toLiveEvent } from '../../live/to-live-event.ts';
import { recordContext } from '../../record/context.ts';
import { recordReader } from '../../record/reader.ts';
import { recordResponse } from '../../record/views.ts';
import { actAsParticipant, type CommandRouteOptions } from '../participants/command-route.ts';
import { ERROR_RESPONSES } from '../schemas.ts';

const PAGE = 1000;

export interface RecordRouteOptions extends CommandRouteOptions {
  /** How long an ended meeting's data is kept (`RETENTION_DAYS`): the record says until when. */
  readonly retentionMs: number;
}

/** The shared record (written live, read during and after the meeting) and the timeline. */
const recordRoutes: FastifyPluginAsyncTypebox<RecordRouteOptions> = async (app, opts) => {
  const readerDeps = () => ({
    db: app.database.db,
    states: app.commands.states,
    now: app.commands.now,
  });

  app.post(
    '/api/meetings/:id/record',
    {
      config: { csrf: 'none' },
      schema: {
        summary: 'Add to the shared record (facilitators and cofacilitators)',
        description:
          'A decision, a next step (with who and when), an open question, or the next ' +
          'meeting\u2019s time. Nothing is edited or deleted: a correction is a new entry ' +
          'naming the entry it corrects. Shown live to everyone in the room. Needs the ' +
          'session cookie and `X-CSRF-Token`; refusals are domain codes (403 FORBIDDEN for ' +
          'other roles).',
        tags: ['record'],
        params: IdParams,
        body: RecordRequest,
        response: { 200: CommandResponse, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const { entryId, kind, text, who, when, meetingAt, corrects } = request.body;
      return actAsParticipant(app.commands, opts, request, reply, request.params.id, (actor) => [
        {
          type: 'record',
          actorId: actor.participantId,
          entryId,
          kind,
          text,
          ...(who !== undefined ? { who } : {}),
          ...(when !== undefined ? { when } : {}),
          ...(meetingAt !== undefined ? { meetingAt: Date.parse(meetingAt) } : {}),
          ...(corrects !== undefined ? { corrects } : {}),
        },
      ]);
    },
  );

  app.get(
    '/api/meetings/:id/record',
    {
      schema: {
        summary: 'Read the shared record and the agreed next meeting',
        description:
          'While the meeting runs: people in the room. After it ends: everyone who was let in ' +
          'at least once, through their own link until it expires or is revoked (403 ' +
          'LINK_REVOKED, 404 LINK_INVALID), never someone who was not let in (403 ' +
          'NOT_ADMITTED). Staff of the organisation read it through the staff app. It names ' +
          'the organisation (with its contact) and the care team, and says until when this ' +
          'reader can read it (`readableUntil`: their link\u2019s expiry, for staff the ' +
          'retention purge; null until the meeting has ended).',
        tags: ['record'],
        params: IdParams,
        response: { 200: RecordResponse, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const reader = await recordReader(request, readerDeps(), request.params.id);
      const [names, context] = await Promise.all([
        participantNames(app.database.db, reader.meeting.id),
        recordContext(app.database.db, reader, opts.retentionMs),
      ]);
      reply.header('cache-control', 'no-store');
      return recordResponse(reader, names, context);
    },
  );

  app.get(
    '/api/meetings/:id/timeline',
    {
      schema: {
        summary: 'Read the meeting\u2019s timeline (its event log) with the names it may show',
        description:
          'Same readers as the record. Names: people who have been in the room; those who ' +
          'hold a key to the door and staff also see who knocked.',
        tags: ['record'],
        params: IdParams,
        response: { 200: TimelineResponse, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const db = app.database.db;
      const reader = await recordReader(request, readerDeps(), request.params.id);
      const seq = reader.meeting.lastSeq;
      const events: LiveEvent[] = [];
      for (let from = 0; from < seq;) {
        const page = await eventsSince(db, reader.meeting.id, from, Math.min(PAGE, seq - from));
        if (page.length === 0) break;
        events.push(...page.map((row) => toLiveEvent(committed(row))));
        from = page.at(-1)!.seq;
      }
      const shown = namesShownInTimeline(reader.state, reader.participantId);
      const names = await participantNames(db, reader.meeting.id);
      const people = reader.state.participants
        .filter((p) => shown.has(p.id))
        .map((p) => ({ participantId: p.id, displayName: names.get(p.id) ?? '', role: p.role }));
      reply.header('cache-control', 'no-store');
      return { seq, events, people };
    },
  );
};

export default recordRoutes;
