import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CommandResponse, IdParams, ModeRequest } from '@polyphony/protocol';
import { actAsParticipant, type CommandRouteOptions } from '../participants/command-route.ts';
import { ERROR_RESPONSES } from '../schemas.ts';

/** Switching between dialogue and reflection, and ending the meeting (product.md section 3). */
const modeRoutes: FastifyPluginAsyncTypebox<CommandRouteOptions> = async (app, opts) => {
  app.post(
    '/api/meetings/:id/mode',
    {
      config: { csrf: 'none' },
      schema: {
        summary: 'Start or end a reflection (facilitators and cofacilitators)',
        description:
          'Committed first, then every admitted participant\u2019s LiveKit permissions are ' +
          'replaced with the complete set for the new mode. The same mode again changes nothing.',
        tags: ['mode'],
        params: IdParams,
        body: ModeRequest,
        response: { 200: CommandResponse, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      return actAsParticipant(app.commands, opts, request, reply, request.params.id, (actor) => [
        { type: 'switch_mode', actorId: actor.participantId, mode: request.body.mode },
      ]);
    },
  );

  app.post(
    '/api/meetings/:id/end',
    {
      config: { csrf: 'none' },
      schema: {
        summary: 'End the meeting for everyone',
        description: 'Everyone leaves the room and the waiting room; every media identity ends.',
        tags: ['mode'],
        params: IdParams,
        response: { 200: CommandResponse, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      return actAsParticipant(app.commands, opts, request, reply, request.params.id, (actor) => [
        { type: 'end', actorId: actor.participantId },
      ]);
    },
  );
};

export default modeRoutes;
