import type { FastifyPluginAsync } from 'fastify';
import type { MeetingCommand } from '@polyphony/domain';
import { AppError } from '../../app-error.ts';
import { endpoint } from '../endpoint.ts';
import { actAsParticipant } from './command-route.ts';
import enterRoute from './enter.ts';
import { cleanPlan, writePlan } from './plan.ts';

const TARGETED = ['admit', 'decline', 'consent', 'remove'] as const;

/** Admission, consent, asking to leave, and one's own companions, cut-off plan and wish to respond. */
const participantRoutes: FastifyPluginAsync = async (app) => {
  for (const type of TARGETED) {
    endpoint(app, type, async (request, reply) =>
      actAsParticipant(app.commands, request.actor, reply, (actor) => [
        { type, actorId: actor.participantId, targetId: request.params.pid },
      ]),
    );
  }

  endpoint(app, 'updateMe', async (request, reply) => {
    const { companions, wishToRespond } = request.body;
    const plan = request.body.plan === undefined ? undefined : cleanPlan(request.body.plan);
    if (companions === undefined && wishToRespond === undefined && plan === undefined) {
      throw new AppError('VALIDATION_FAILED', 'Nothing to change.');
    }
    const { meetingId } = request.actor;
    return actAsParticipant(app.commands, request.actor, reply, async (actor, tx) => {
      const commands: MeetingCommand[] = [];
      const at = new Date(app.commands.now());
      if (plan !== undefined && (await writePlan(tx, meetingId, actor.participantId, plan, at))) {
        commands.push({ type: 'update_own_plan', actorId: actor.participantId });
      }
      if (companions !== undefined) {
        commands.push({ type: 'update_own_companions', actorId: actor.participantId, companions });
      }
      if (wishToRespond) commands.push({ type: 'raise_hand', actorId: actor.participantId });
      return commands;
    });
  });

  endpoint(app, 'leave', async (request, reply) =>
    actAsParticipant(app.commands, request.actor, reply, (actor) => [
      { type: 'leave', actorId: actor.participantId },
    ]),
  );

  await app.register(enterRoute);
};

export default participantRoutes;
