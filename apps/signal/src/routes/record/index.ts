import type { FastifyPluginAsync } from 'fastify';
import { eventsSince, participantNames } from '@polyphony/db';
import { namesShownInTimeline, timelineShows } from '@polyphony/domain';
import type { LiveEvent } from '@polyphony/protocol';
import { committed, toLiveEvent } from '../../live/to-live-event.ts';
import { recordContext } from '../../record/context.ts';
import { recordReader } from '../../record/reader.ts';
import { recordResponse } from '../../record/views.ts';
import { actAsParticipant } from '../participants/command-route.ts';
import { endpoint } from '../endpoint.ts';

const PAGE = 1000;

export interface RecordRouteOptions {
  /** How long an ended meeting's data is kept (`RETENTION_DAYS`): the record says until when. */
  readonly retentionMs: number;
}

/** The shared record (written live, read during and after the meeting) and the timeline. */
const recordRoutes: FastifyPluginAsync<RecordRouteOptions> = async (app, opts) => {
  const readerDeps = () => ({
    db: app.database.db,
    states: app.commands.states,
    now: app.commands.now,
  });

  endpoint(app, 'addRecordEntry', async (request, reply) => {
    const { entryId, kind, text, who, when, meetingAt, corrects } = request.body;
    return actAsParticipant(app.commands, request.actor, reply, (actor) => [
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
  });

  endpoint(app, 'record', async (request, reply) => {
    const reader = await recordReader(request.actor, readerDeps());
    const [names, context] = await Promise.all([
      participantNames(app.database.db, reader.meeting.id),
      recordContext(app.database.db, reader, opts.retentionMs),
    ]);
    reply.header('cache-control', 'no-store');
    return recordResponse(reader, names, context);
  });

  endpoint(app, 'timeline', async (request, reply) => {
    const db = app.database.db;
    const reader = await recordReader(request.actor, readerDeps());
    const seq = reader.meeting.lastSeq;
    const events: LiveEvent[] = [];
    for (let from = 0; from < seq;) {
      const page = await eventsSince(db, reader.meeting.id, from, Math.min(PAGE, seq - from));
      if (page.length === 0) break;
      events.push(
        ...page
          .filter((row) => timelineShows(reader.participantId, committed(row).event))
          .map((row) => toLiveEvent(committed(row))),
      );
      from = page.at(-1)!.seq;
    }
    const shown = namesShownInTimeline(reader.state, reader.participantId);
    const names = await participantNames(db, reader.meeting.id);
    const people = reader.state.participants
      .filter((p) => shown.has(p.id))
      .map((p) => ({ participantId: p.id, displayName: names.get(p.id) ?? '', role: p.role }));
    reply.header('cache-control', 'no-store');
    return { seq, events, people };
  });
};

export default recordRoutes;
