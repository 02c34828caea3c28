import type { FastifyPluginAsync } from 'fastify';
import { actAsParticipant } from '../participants/command-route.ts';
import { endpoint } from '../endpoint.ts';

/**
 * Switching between dialogue and reflection, the meeting's settings, and ending the meeting
 * (product.md section 3).
 */
const modeRoutes: FastifyPluginAsync = async (app) => {
  endpoint(app, 'switchMode', async (request, reply) =>
    actAsParticipant(app.commands, request.actor, reply, (actor) => [
      { type: 'switch_mode', actorId: actor.participantId, mode: request.body.mode },
    ]),
  );

  endpoint(app, 'changeSettings', async (request, reply) =>
    actAsParticipant(app.commands, request.actor, reply, (actor) => [
      { type: 'change_settings', actorId: actor.participantId, settings: request.body },
    ]),
  );

  endpoint(app, 'endMeeting', async (request, reply) =>
    actAsParticipant(app.commands, request.actor, reply, (actor) => [
      { type: 'end', actorId: actor.participantId },
    ]),
  );
};

export default modeRoutes;
