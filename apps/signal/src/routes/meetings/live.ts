import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CLOSE_CODES, ErrorResponse } from '@polyphony/protocol';
import { AppError } from '../../app-error.ts';
import { SERVER_ACTOR } from '@polyphony/domain';
import {
  closeLiveChannel,
  databaseUnavailableCode,
  hashToken,
  touchLiveChannel,
} from '@polyphony/db';
import { GUEST_COOKIE, guestCsrfToken } from '../../commands/guest-session.ts';
import { runCommands } from '../../commands/runner.ts';
import {
  serveLiveConnection,
  type LiveChannelLog,
  type LiveLimits,
  type LiveMediaActions,
} from '../../live/connection.ts';
import { meetingActor } from '../../commands/actor.ts';
import { createDisplayNames } from '../../live/views.ts';

export interface LiveRouteOptions {
  readonly publicOrigin: string;
  readonly csrfSecret: string;
  readonly limits: LiveLimits;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `GET /api/meetings/:id/live`: the live channel. Refusals happen after the upgrade, as close
 * codes, because browsers cannot read the status of a refused upgrade.
 */
const liveRoute: FastifyPluginAsyncTypebox<LiveRouteOptions> = async (app, opts) => {
  const names = createDisplayNames(app.database.db);
  const media: LiveMediaActions = {
    seat: (meetingId, participantId, sid) =>
      app.commands.effects.seat(meetingId, participantId, sid),
    displaced: (meetingId, participantId) =>
      runCommands(app.commands, meetingId, async () => ({
        commands: [{ type: 'note_displaced', actorId: SERVER_ACTOR, targetId: participantId }],
        actor: { participantId },
      })),
  };
  const db = app.database.db;
  const channels: LiveChannelLog = {
    touch: (participantId, device) =>
      touchLiveChannel(db, participantId, device, new Date(app.commands.now())),
    close: (participantId, device) =>
      closeLiveChannel(db, participantId, device, new Date(app.commands.now())),
  };
  app.route({
    method: 'GET',
    url: '/api/meetings/:id/live',
    schema: {
      summary: 'Live channel (WebSocket): snapshot, then meeting events in sequence order',
      description:
        'Authenticated by the guest session cookie of this meeting, or the staff session of ' +
        'a staff member who has a place in it. Send `?since=N` to replay events after N ' +
        'following the snapshot. Refusals are WebSocket close codes (see CLOSE_CODES).',
      tags: ['live'],
      params: Type.Object({ id: Type.String() }),
      // A query string is text; the number is read below (the validator converts no types).
      querystring: Type.Object({
        since: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
      }),
      response: { 400: ErrorResponse },
    },
    // Declared with both handlers so the route stays in the OpenAPI document.
    handler: async () => {
      throw new AppError('BAD_REQUEST', 'This address takes a WebSocket connection.');
    },
    wsHandler: (socket, request) => {
      const refuse = (code: number, reason: string) => socket.close(code, reason);
      if (request.headers.origin !== opts.publicOrigin) {
        return refuse(CLOSE_CODES.FORBIDDEN, 'origin not allowed');
      }
      const meetingId = request.params.id;
      if (!UUID.test(meetingId)) return refuse(CLOSE_CODES.NOT_FOUND, 'not found');
      // Messages that arrive before authentication completes are dropped with the socket.
      socket.pause();
      meetingActor(request, meetingId, {
        db: app.database.db,
        csrfSecret: opts.csrfSecret,
        requireCsrf: false,
      }).then(
        (actor) => {
          const cookie = request.cookies[GUEST_COOKIE];
          const guestToken = actor.device !== null && cookie ? cookie : null;
          serveLiveConnection(
            socket,
            {
              db: app.database.db,
              channels,
              media,
              hub: app.hub,
              states: app.commands.states,
              livekit: app.livekit,
              log: request.log,
              sockets: app.metrics.liveSockets,
              limits: opts.limits,
              names,
            },
            {
              meetingId,
              participantId: actor.participantId,
              since: request.query.since === undefined ? undefined : Number(request.query.since),
              device: actor.device ?? undefined,
              csrfToken: guestToken
                ? guestCsrfToken(opts.csrfSecret, hashToken(guestToken))
                : undefined,
            },
          );
          socket.resume();
        },
        (err: unknown) => {
          socket.resume();
          if (err instanceof AppError && err.code === 'UNAUTHENTICATED') {
            return refuse(CLOSE_CODES.UNAUTHENTICATED, 'not signed in');
          }
          if (err instanceof AppError && err.code === 'NOT_A_PARTICIPANT') {
            return refuse(CLOSE_CODES.FORBIDDEN, 'not your meeting');
          }
          const unavailable = databaseUnavailableCode(err);
          if (unavailable !== null) {
            request.log.warn({ code: unavailable }, 'live channel: database unavailable');
            return refuse(CLOSE_CODES.TRY_AGAIN_LATER, 'try again later');
          }
          request.log.error({ err }, 'live authentication failed');
          refuse(1011, 'internal error');
        },
      );
    },
  });
};

export default liveRoute;
