import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MeetingCommand } from '@polyphony/domain';
import { meetingActor, type MeetingActor } from '../../commands/actor.ts';
import { DomainRefusal } from '../../commands/domain-error.ts';
import type { CommandResponse } from '@polyphony/protocol';
import { runCommands, type CommandDeps } from '../../commands/runner.ts';

/** Sets `Retry-After` on a knock that came too soon, then lets the error handler answer. */
export async function withRetryAfter<T>(
  reply: FastifyReply,
  now: () => number,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof DomainRefusal) {
      const seconds = err.retryAfterSeconds(now());
      if (seconds !== null) reply.header('retry-after', String(seconds));
    }
    throw err;
  }
}

export interface CommandRouteOptions {
  readonly csrfSecret: string;
}

/**
 * The shape of every participant command route: resolve the actor in the meeting of the path
 * (CSRF checked), build the domain commands for them, run them; the answer is the new seq.
 */
export async function actAsParticipant(
  deps: CommandDeps,
  opts: CommandRouteOptions,
  request: FastifyRequest,
  reply: FastifyReply,
  meetingId: string,
  commands: (actor: MeetingActor) => readonly MeetingCommand[],
): Promise<CommandResponse> {
  const actor = await meetingActor(request, meetingId, {
    db: deps.db,
    csrfSecret: opts.csrfSecret,
    requireCsrf: true,
  });
  const result = await withRetryAfter(reply, deps.now, () =>
    runCommands(deps, meetingId, async () => ({
      commands: commands(actor).map((c) => (actor.device ? { ...c, device: actor.device } : c)),
      actor: { participantId: actor.participantId },
    })),
  );
  return { seq: result.seq };
}
