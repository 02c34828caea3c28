import type { FastifyPluginAsync } from 'fastify';
import { markWebhookProcessed } from '@polyphony/db';
import { meetingIdOfRoom } from '../../plugins/livekit-grants.ts';
import { endpoint } from '../endpoint.ts';

/** Events on which someone may have entered media: check they are admitted now. */
const ENTRY_EVENTS = new Set(['participant_joined', 'track_published']);

/**
 * `POST /api/livekit/webhook`: LiveKit's signed notifications. The access hook checks the
 * signature on the raw body (this plugin keeps it raw); each event id is handled once. Anyone in a room who is not currently admitted
 * is removed at once and the removal is logged (identities only, never names); a connection
 * that is not the seat holder is stripped of any rights its token carried; every published
 * track is judged by its kind against its declared source (ADR 0014).
 */
const webhookRoutes: FastifyPluginAsync = async (app) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) =>
    done(null, body),
  );

  endpoint(app, 'livekitWebhook', async (request) => {
    const { event } = request.actor;
    const first = await markWebhookProcessed(app.database.db, event.id);
    if (!first) return { ok: true as const };
    const meetingId = meetingIdOfRoom(event.room ?? '');
    const identity = event.identity;
    const effects = app.commands.effects;
    if (meetingId && identity && event.event === 'participant_joined') {
      await effects.joined(meetingId, identity);
    } else if (meetingId && identity && event.event === 'participant_left') {
      effects.left(meetingId, identity);
    } else if (meetingId && identity && event.event === 'track_published' && event.track) {
      await effects.published(meetingId, identity, event.track);
    } else if (!meetingId && identity && ENTRY_EVENTS.has(event.event)) {
      request.log.warn({ event: event.event }, 'participant in a room that is not a meeting');
    }
    return { ok: true as const };
  });
};

export default webhookRoutes;
