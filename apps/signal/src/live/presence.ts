import { lastEventAt, liveChannelsOf } from '@polyphony/db';
import {
  isAnyonePresent,
  isChannelGone,
  isIdle,
  SERVER_ACTOR,
  waitingKnocks,
  type ChannelBounds,
} from '@polyphony/domain';
import { runCommands, type CommandDeps } from '../commands/runner.ts';

/** How long a closed live channel may stay closed before its waiting knock leaves (a reload is back well within it). */
const CLOSED_GRACE_MS = 10_000;

/**
 * The bounds for a live channel that answers pings every `heartbeatMs` (see domain): a closed
 * channel (the page died or went away) is gone after the grace, or the heartbeat if shorter; one
 * never closed is gone when unseen for three heartbeats (the node serving it died).
 */
export function channelBounds(heartbeatMs: number): ChannelBounds {
  return { closedMs: Math.min(heartbeatMs, CLOSED_GRACE_MS), staleMs: 3 * heartbeatMs };
}

/**
 * Takes out of the lobby every knock whose page's live channel has been gone past the bound
 * (domain `isChannelGone`): a dead waiting page is not left for facilitators to admit. Runs in
 * the reconcile pass on every node; the drop is a server command, so two nodes racing record
 * it once. Returns how many knocks left.
 */
export async function dropGoneKnocks(
  commands: CommandDeps,
  meetingId: string,
  bounds: ChannelBounds,
): Promise<number> {
  const latest = await commands.states.latest(commands.db, meetingId);
  if (!latest) return 0;
  const knocks = waitingKnocks(latest.state);
  if (knocks.length === 0) return 0;
  const rows = await liveChannelsOf(
    commands.db,
    knocks.map((k) => k.participantId),
  );
  const now = commands.now();
  const gone = knocks.filter((k) => {
    const row = rows.find(
      (r) => r.participantId === k.participantId && r.device === (k.device ?? ''),
    );
    const sighting = row && {
      seenAt: row.seenAt.getTime(),
      closedAt: row.closedAt?.getTime() ?? null,
    };
    return isChannelGone(sighting, now, bounds);
  });
  for (const knock of gone) {
    await runCommands(commands, meetingId, async () => ({
      commands: [
        {
          type: 'drop_knock',
          actorId: SERVER_ACTOR,
          targetId: knock.participantId,
          knockDevice: knock.device,
        },
      ],
      actor: {},
    }));
  }
  return gone.length;
}

/**
 * Ends a live meeting that nobody has been in, and nothing has happened in, for `idleMs`
 * (domain `isIdle`): an immediate meeting nobody came to, or a room everyone left without
 * ending it. Returns whether it ended.
 */
export async function endIfIdle(
  commands: CommandDeps,
  meetingId: string,
  idleMs: number,
): Promise<boolean> {
  const latest = await commands.states.latest(commands.db, meetingId);
  if (!latest || latest.state.status !== 'live' || isAnyonePresent(latest.state)) return false;
  const quiet = await lastEventAt(commands.db, meetingId);
  const quietSince = quiet?.getTime() ?? latest.meeting.createdAt.getTime();
  if (!isIdle(latest.state, quietSince, commands.now(), idleMs)) return false;
  const result = await runCommands(commands, meetingId, async () => ({
    commands: [{ type: 'end_idle', actorId: SERVER_ACTOR, quietSince, idleMs }],
    actor: {},
  }));
  return result.events.length > 0;
}
