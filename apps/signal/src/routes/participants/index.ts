import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { MeetingCommand } from '@polyphony/domain';
import { CommandResponse, IdParams, ParticipantParams, UpdateMeRequest } from '@polyphony/protocol';
import { AppError } from '../../app-error.ts';
import { ERROR_RESPONSES } from '../schemas.ts';
import { actAsParticipant, type CommandRouteOptions } from './command-route.ts';
import enterRoute from './enter.ts';

const TARGETED = {
  admit: 'Let someone in (a facilitator\u2019s key; the centre person may still need to agree)',
  decline: '"Not now" to someone waiting; they may knock again after a growing wait',
  consent: 'The centre person agrees to someone (and everyone declared with them)',
  remove: 'Ask someone to leave: out of media at once, back to the waiting room',
} as const;

/** Admission, consent, asking to leave, and one's own companions and wish to respond. */
const participantRoutes: FastifyPluginAsyncTypebox<CommandRouteOptions> = async (app, opts) => {
  for (const [type, summary] of Object.entries(TARGETED) as [keyof typeof TARGETED, string][]) {
    app.post(
      `/api/meetings/:id/participants/:pid/${type}`,
      {
        config: { csrf: 'none' },
        schema: {
          summary,
          description: 'Needs the session cookie and `X-CSRF-Token`. Refusals are domain codes.',
          tags: ['participants'],
          params: ParticipantParams,
          response: { 200: CommandResponse, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const { id, pid } = request.params;
        return actAsParticipant(app.commands, opts, request, reply, id, (actor) => [
          { type, actorId: actor.participantId, targetId: pid },
        ]);
      },
    );
  }

  app.patch(
    '/api/meetings/:id/participants/me',
    {
      config: { csrf: 'none' },
      schema: {
        summary: 'Change who is with me, or say "I\u2019d like to respond"',
        description: 'Every companion change is announced to everyone in the meeting.',
        tags: ['participants'],
        params: IdParams,
        body: UpdateMeRequest,
        response: { 200: CommandResponse, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const { companions, wishToRespond } = request.body;
      if (companions === undefined && wishToRespond === undefined) {
        throw new AppError('VALIDATION_FAILED', 'Nothing to change.');
      }
      return actAsParticipant(app.commands, opts, request, reply, request.params.id, (actor) => {
        const commands: MeetingCommand[] = [];
        if (companions !== undefined) {
          commands.push({
            type: 'update_own_companions',
            actorId: actor.participantId,
            companions,
          });
        }
        if (wishToRespond) commands.push({ type: 'raise_hand', actorId: actor.participantId });
        return commands;
      });
    },
  );

  app.delete(
    '/api/meetings/:id/participants/me',
    {
      config: { csrf: 'none' },
      schema: {
        summary: 'Leave the waiting room or the meeting',
        tags: ['participants'],
        params: IdParams,
        response: { 200: CommandResponse, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      return actAsParticipant(app.commands, opts, request, reply, request.params.id, (actor) => [
        { type: 'leave', actorId: actor.participantId },
      ]);
    },
  );

  await app.register(enterRoute, opts);
};

export default participantRoutes;
