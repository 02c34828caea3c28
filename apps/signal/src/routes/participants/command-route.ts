import type { FastifyReply } from 'fastify';
import type { Tx } from '@polyphony/db';
import type { MeetingCommand } from '@polyphony/domain';
import type { CommandResponse } from '@polyphony/protocol';
import type { MeetingActor, MeetingCaller } from '../../plugins/actors.ts';
import { DomainRefusal } from '../../commands/domain-error.ts';
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

/**
 * The shape of every participant command route: the acting participant (resolved, CSRF
 * checked, by the access hook) does the domain commands built for them; the answer is the
 * new seq. The builder may write the acting person's own rows in the command's transaction
 * (its cut-off plan), which the domain's refusal rolls back.
 */
export async function actAsParticipant(
  deps: CommandDeps,
  caller: MeetingCaller & { readonly participant: MeetingActor },
  reply: FastifyReply,
  commands: (
    actor: MeetingActor,
    tx: Tx,
  ) => readonly MeetingCommand[] | Promise<readonly MeetingCommand[]>,
): Promise<CommandResponse> {
  const actor = caller.participant;
  const result = await withRetryAfter(reply, deps.now, () =>
    runCommands(deps, caller.meetingId, async (tx) => ({
      commands: (await commands(actor, tx)).map((c) =>
        actor.device ? { ...c, device: actor.device } : c,
      ),
      actor: { participantId: actor.participantId },
    })),
  );
  return { seq: result.seq };
}
