import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { markWebhookProcessed } from '@polyphony/db';
import { AppError } from '../../app-error.ts';
import { meetingIdOfRoom } from '../../plugins/livekit-grants.ts';
import { createWebhookVerifier } from '../../plugins/livekit-webhook.ts';
import { ERROR_RESPONSES } from '../schemas.ts';

export interface WebhookOptions {
  readonly apiKey: string;
  readonly apiSecret: string;
}

/** Events on which someone may have entered media: check they are admitted now. */
const ENTRY_EVENTS = new Set(['participant_joined', 'track_published']);

/**
 * `POST /api/livekit/webhook`: LiveKit's signed notifications. The signature is checked on
 * the raw body; each event id is handled once. Anyone in a room who is not currently admitted
 * is removed at once and the removal is logged (identities only, never names); a connection
 * that is not the seat holder is stripped of any rights its token carried; every published
 * track is judged by its kind against its declared source (ADR 0014).
 */
const webhookRoutes: FastifyPluginAsyncTypebox<WebhookOptions> = async (app, opts) => {
  const verify = createWebhookVerifier(opts.apiKey, opts.apiSecret);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) =>
    done(null, body),
  );

  app.post(
    '/api/livekit/webhook',
    {
      config: { csrf: 'none' },
      schema: {
        summary: 'LiveKit webhooks (signed; idempotent by event id)',
        tags: ['livekit'],
        response: { 200: Type.Object({ ok: Type.Literal(true) }), ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const raw = typeof request.body === 'string' ? request.body : '';
      let event;
      try {
        event = await verify(raw, request.headers.authorization);
      } catch {
        throw new AppError('UNAUTHENTICATED', 'The webhook signature is not valid.');
      }
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
    },
  );
};

export default webhookRoutes;
