import type { FastifyInstance } from 'fastify';
import { insertMeeting, type MeetingRecord, type Tx } from '@polyphony/db';
import type { CreatedInvite } from '@polyphony/protocol';
import { runCommandsInTransaction, type CommandResult } from '../commands/runner.ts';
import type { StaffRouteOptions } from '../routes/staff-route-options.ts';
import { everyoneWithoutLink } from './everyone.ts';
import { planInvites } from './invites.ts';

export interface NewMeeting {
  readonly networkId: string;
  readonly staffId: string;
  readonly kind: 'immediate' | 'scheduled';
  readonly scheduledAt: Date | null;
  readonly inviteEveryone: boolean;
}

/**
 * A meeting inside the caller's transaction: the row, `open_meeting` for an immediate one, and
 * with `inviteEveryone` a link for every network member and core-team staff member. The caller
 * runs `afterCommands` with `result` once the transaction has committed.
 */
export async function createMeetingInTransaction(
  app: FastifyInstance,
  opts: Pick<StaffRouteOptions, 'now' | 'inviteTtlMs' | 'publicOrigin'>,
  tx: Tx,
  input: NewMeeting,
): Promise<{ meeting: MeetingRecord; links: CreatedInvite[]; result: CommandResult }> {
  const now = opts.now();
  const { staffId } = input;
  const meeting = await insertMeeting(tx, {
    networkId: input.networkId,
    scheduledAt: input.scheduledAt,
    createdBy: staffId,
    createdAt: new Date(now),
  });
  const invites = input.inviteEveryone
    ? planInvites(
        {
          meeting,
          staffId,
          now,
          inviteTtlMs: opts.inviteTtlMs,
          publicOrigin: opts.publicOrigin,
        },
        await everyoneWithoutLink(tx, meeting, now),
        { skipRefused: true },
      )
    : null;
  const result = await runCommandsInTransaction(app.commands, tx, meeting.id, async (t, state) => {
    const planned = invites ? await invites.prepare(t, state) : null;
    const open = { type: 'open_meeting', actorId: staffId } as const;
    return {
      commands: [...(input.kind === 'immediate' ? [open] : []), ...(planned?.commands ?? [])],
      actor: { staffId },
    };
  });
  return { meeting, links: invites?.links ?? [], result };
}
