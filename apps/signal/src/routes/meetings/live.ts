import type { FastifyPluginAsync } from 'fastify';
import { SERVER_ACTOR } from '@polyphony/domain';
import { CLOSE_CODES } from '@polyphony/protocol';
import { AppError } from '../../app-error.ts';
import { closeLiveChannel, staffSessionExists, touchLiveChannel } from '@polyphony/db';
import { runCommands } from '../../commands/runner.ts';
import {
  serveLiveConnection,
  type LiveChannelLog,
  type LiveLimits,
  type LiveMediaActions,
} from '../../live/connection.ts';
import { createDisplayNames } from '../../live/views.ts';
import { endpoint } from '../endpoint.ts';

export interface LiveRouteOptions {
  readonly limits: LiveLimits;
}

/**
 * `GET /api/meetings/:id/live`: the live channel. The access hook resolved who connects (and
 * checked `Origin`); its refusals close the socket after the upgrade, with a close code,
 * because browsers cannot read the status of a refused upgrade.
 */
const liveRoute: FastifyPluginAsync<LiveRouteOptions> = async (app, opts) => {
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
  endpoint(
    app,
    'live',
    // An HTTP request without the upgrade: there is nothing to answer.
    async () => {
      throw new AppError('BAD_REQUEST', 'This address takes a WebSocket connection.');
    },
    {
      wsHandler: (socket, request) => {
        // A node that is shutting down serves no new channel: the page goes to another at once.
        if (app.drain.draining) return socket.close(CLOSE_CODES.GO_ELSEWHERE, 'go elsewhere');
        const { meetingId, guest, participant, staff } = request.actor;
        // A staff member's channel closes the moment their session ends (disabled, password).
        if (participant.staffId !== null && staff !== null) {
          const forget = app.staffChannels.register(staff.staff.id, staff.sessionId, () =>
            socket.close(CLOSE_CODES.UNAUTHENTICATED, 'session ended'),
          );
          socket.on('close', forget);
          // A session ended between the access check and the registration: close now.
          staffSessionExists(db, staff.sessionId)
            .then((exists) => {
              if (!exists) socket.close(CLOSE_CODES.UNAUTHENTICATED, 'session ended');
            })
            .catch((err: unknown) => request.log.warn({ err }, 'live: session check failed'));
        }
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
            participantId: participant.participantId,
            since: request.query.since === undefined ? undefined : Number(request.query.since),
            device: participant.device ?? undefined,
            csrfToken: participant.device !== null ? guest?.csrfToken : undefined,
          },
        );
      },
    },
  );
};

export default liveRoute;
