import type { FastifyBaseLogger } from 'fastify';
import {
  currentIdentities,
  isIdentityCurrent,
  mediaAssignments,
  type MediaGrants,
  type MeetingState,
} from '@polyphony/domain';
import type { LivekitParticipant, Livekit } from '../plugins/livekit.ts';
import { sameGrants } from '../plugins/livekit-grants.ts';

export interface MediaEffectsDeps {
  readonly livekit: Livekit;
  readonly log: FastifyBaseLogger;
  /** The latest committed state of a meeting (null: no such meeting). */
  readonly latestState: (meetingId: string) => Promise<MeetingState | null>;
}

/** What the reconcile found and did in one meeting. */
export interface ReconcileReport {
  readonly removed: number;
  readonly repaired: number;
}

/**
 * The LiveKit side of committed changes. Work on one meeting runs one task at a time, and
 * every task reads the latest committed state itself, so the last permissions sent always
 * equal the stored mode however fast facilitators toggle (on this node; the reconcile loop
 * repairs what another node raced).
 */
export interface MediaEffects {
  /** After a commit: disconnect identities that stopped being current; resend permissions. */
  afterCommit(meetingId: string, before: MeetingState, after: MeetingState): Promise<void>;
  /** Removes an identity unless it is current now; true when it was removed. */
  removeIfNotCurrent(meetingId: string, identity: string, why: string): Promise<boolean>;
  /** Compares the room with the database: removes strangers, repairs permission drift. */
  reconcile(meetingId: string): Promise<ReconcileReport>;
  /** Waits for queued work (tests, shutdown). */
  idle(): Promise<void>;
}

export function createMediaEffects(deps: MediaEffectsDeps): MediaEffects {
  const { livekit, log } = deps;
  const queues = new Map<string, Promise<unknown>>();
  const pendingSync = new Map<string, Promise<void>>();

  /** Runs `task` after every earlier task of the meeting; failures are logged, not thrown. */
  function serial<T>(meetingId: string, task: () => Promise<T>, fallback: T): Promise<T> {
    const previous = queues.get(meetingId) ?? Promise.resolve();
    const next = previous.then(task).catch((err: unknown) => {
      log.error({ err, meetingId }, 'media side effect failed');
      return fallback;
    });
    queues.set(meetingId, next);
    void next.finally(() => {
      if (queues.get(meetingId) === next) queues.delete(meetingId);
    });
    return next;
  }

  async function pushPermissions(meetingId: string): Promise<void> {
    pendingSync.delete(meetingId);
    const state = await deps.latestState(meetingId);
    if (!state) return;
    await Promise.all(
      mediaAssignments(state).map((a) =>
        livekit.updatePermissions(meetingId, a.identity, a.grants),
      ),
    );
  }

  /** Coalesces: a sync already queued (not started) will read the newest state anyway. */
  function syncPermissions(meetingId: string): Promise<void> {
    const queued = pendingSync.get(meetingId);
    if (queued) return queued;
    const run = serial(meetingId, () => pushPermissions(meetingId), undefined);
    pendingSync.set(meetingId, run);
    return run;
  }

  async function removeStale(meetingId: string, identities: readonly string[]) {
    await Promise.all(
      identities.map(async (identity) => {
        const removed = await livekit.removeParticipant(meetingId, identity);
        if (removed) log.info({ meetingId, identity }, 'media identity removed');
      }),
    );
  }

  function drifted(p: LivekitParticipant, grants: MediaGrants): boolean {
    return !sameGrants(p.permission, grants);
  }

  return {
    async afterCommit(meetingId, before, after) {
      const now = new Set(currentIdentities(after));
      const gone = currentIdentities(before).filter((i) => !now.has(i));
      const work: Promise<unknown>[] = [];
      if (gone.length > 0) {
        work.push(serial(meetingId, () => removeStale(meetingId, gone), undefined));
      }
      if (before.mode !== after.mode || before.settings !== after.settings) {
        work.push(syncPermissions(meetingId));
      }
      await Promise.all(work);
    },

    removeIfNotCurrent(meetingId, identity, why) {
      return serial(
        meetingId,
        async () => {
          const state = await deps.latestState(meetingId);
          if (state && isIdentityCurrent(state, identity)) {
            const grants = mediaAssignments(state).find((a) => a.identity === identity)?.grants;
            if (grants) await livekit.updatePermissions(meetingId, identity, grants);
            return false;
          }
          const removed = await livekit.removeParticipant(meetingId, identity);
          log.warn({ meetingId, identity, why }, 'not admitted: removed from media');
          return removed;
        },
        false,
      );
    },

    reconcile(meetingId) {
      return serial(
        meetingId,
        async () => {
          const state = await deps.latestState(meetingId);
          const present = await livekit.listParticipants(meetingId);
          let removed = 0;
          let repaired = 0;
          const assignments = new Map(
            (state ? mediaAssignments(state) : []).map((a) => [a.identity, a.grants]),
          );
          await Promise.all(
            present.map(async (p) => {
              const grants = assignments.get(p.identity);
              if (!grants) {
                await livekit.removeParticipant(meetingId, p.identity);
                log.warn(
                  { meetingId, identity: p.identity, why: 'reconcile' },
                  'not admitted: removed from media',
                );
                removed++;
              } else if (drifted(p, grants)) {
                await livekit.updatePermissions(meetingId, p.identity, grants);
                log.warn({ meetingId, identity: p.identity }, 'permission drift repaired');
                repaired++;
              }
            }),
          );
          return { removed, repaired };
        },
        { removed: 0, repaired: 0 },
      );
    },

    async idle() {
      while (queues.size > 0) await Promise.all([...queues.values()]);
    },
  };
}
