import type { FastifyBaseLogger } from 'fastify';
import {
  currentIdentities,
  grantsFor,
  isIdentityCurrent,
  judgeTrack,
  mediaAssignments,
  mediaIdentity,
  parseMediaIdentity,
  PRESENCE,
  removalReason,
  TRACK_ACTION,
  type MediaGrants,
  type MeetingState,
  type ServerRemovalReason,
} from '@polyphony/domain';
import type { LivekitParticipant, Livekit, LivekitTrack } from '../plugins/livekit.ts';
import { sameGrants } from '../plugins/livekit-grants.ts';

/** Runs work on one meeting while no other node does (see `Database.exclusive`). */
export type MeetingLock = <T>(
  meetingId: string,
  mode: 'wait' | 'skip',
  work: () => Promise<T>,
) => Promise<{ readonly held: true; readonly value: T } | { readonly held: false }>;

export interface MediaEffectsDeps {
  readonly livekit: Livekit;
  /**
   * The meeting's lock across nodes: each task's "read the state, push to LiveKit" runs under
   * it, so the last push on any node follows the last commit (ADR 0026).
   */
  readonly lock: MeetingLock;
  readonly log: FastifyBaseLogger;
  /** The latest committed state of a meeting (null: no such meeting). */
  readonly latestState: (meetingId: string) => Promise<MeetingState | null>;
  /** Takes a participant out of the meeting for a forged track (a command through the runner). */
  readonly eject: (
    meetingId: string,
    participantId: string,
    reason: ServerRemovalReason,
  ) => Promise<void>;
  /** Notes an admitted person's connection as up or gone (a server command through the runner). */
  readonly note: (meetingId: string, participantId: string, what: 'connected' | 'lost') => void;
  /**
   * How long an admitted identity must be missing from the room before its connection counts as
   * lost: a reload reconnects well within it, so it costs no "lost" and "back" in the timeline.
   */
  readonly lostGraceMs: number;
  /** The clock (epoch ms). */
  readonly now: () => number;
  /**
   * Since when this device's live channel has been closed (epoch ms), or null while it is open
   * or unknown (`device` '' for staff). A page whose live channel went long before its media
   * did (a killed browser) is lost at once, without the grace.
   */
  readonly channelClosedAt: (participantId: string, device: string) => Promise<number | null>;
}

/** What the reconcile found and did in one meeting. */
export interface ReconcileReport {
  readonly removed: number;
  readonly repaired: number;
  readonly ejected: number;
}

/** Why a connection claimed a seat and did not get it. */
export type SeatRefusal = 'not_current' | 'not_connected';

/**
 * The LiveKit side of the meeting, failing closed. Tokens carry no media rights: a connection
 * gets the policy's grants only once it has claimed its seat over the live channel
 * ({@link MediaEffects.seat}) and only while the database says its identity is current. Work on
 * one meeting runs one task at a time, on this node (a queue) and across nodes (the meeting's
 * lock in the database), and every task reads the state it applies itself under that lock, so
 * the last permissions sent equal the stored mode however fast facilitators on any nodes toggle.
 */
export interface MediaEffects {
  /**
   * As soon as a command is decided, before its commit: applies what the decision takes away
   * (a reflection's muting, a removal), never what it grants (ADR 0014). A commit that then
   * fails is repaired by the reconcile.
   */
  restrictEarly(meetingId: string, before: MeetingState, after: MeetingState): void;
  /** After a commit: disconnect identities that stopped being current; resend permissions. */
  afterCommit(meetingId: string, before: MeetingState, after: MeetingState): Promise<void>;
  /** A connection claims its participant's seat: grants it when current and really connected. */
  seat(meetingId: string, participantId: string, sid: string): Promise<SeatRefusal | null>;
  /** A connection joined: removed unless current; stripped of any rights unless seated. */
  joined(meetingId: string, identity: string): Promise<void>;
  /**
   * A connection left the room. If that identity is still admitted and does not come back within
   * the grace, the person's connection is noted as lost (their admission stands).
   */
  left(meetingId: string, identity: string): void;
  /** A track was published: judged by its kind against its declared source and the grants. */
  published(meetingId: string, identity: string, track: LivekitTrack): Promise<void>;
  /**
   * Compares the room with the database: removes strangers, repairs drift, judges tracks. Null
   * when another node is working on the meeting right now (it is that node's turn; this pass
   * leaves the meeting alone).
   */
  reconcile(meetingId: string): Promise<ReconcileReport | null>;
  /** Waits for queued work (tests, shutdown). */
  idle(): Promise<void>;
}

const NO_REPORT: ReconcileReport = { removed: 0, repaired: 0, ejected: 0 };

/** Whether going from `before` to `after` takes rights away from anyone. */
function restricts(before: MeetingState, after: MeetingState): boolean {
  if (before.mode !== after.mode && after.mode === 'reflecting') return true;
  if (before.settings !== after.settings) return true;
  const now = new Set(currentIdentities(after));
  return currentIdentities(before).some((i) => !now.has(i));
}

export function createMediaEffects(deps: MediaEffectsDeps): MediaEffects {
  const { livekit, log } = deps;
  const queues = new Map<string, Promise<unknown>>();
  /** Admitted, connected identities the reconcile found missing, and since when (this node). */
  const missingSince = new Map<string, number>();
  const graceTimers = new Set<ReturnType<typeof setTimeout>>();

  /**
   * Runs `task` after every earlier task of the meeting on this node, under the meeting's lock
   * (`skip`: gives `skipped` at once when another node holds it); failures are logged, not thrown.
   */
  function serial<T>(
    meetingId: string,
    task: () => Promise<T>,
    fallback: T,
    skip?: { readonly skipped: T },
  ): Promise<T> {
    const previous = queues.get(meetingId) ?? Promise.resolve();
    const locked = async () => {
      const outcome = await deps.lock(meetingId, skip ? 'skip' : 'wait', task);
      if (outcome.held) return outcome.value;
      return skip ? skip.skipped : fallback;
    };
    const next = previous.then(locked).catch((err: unknown) => {
      log.error({ err, meetingId }, 'media side effect failed');
      return fallback;
    });
    queues.set(meetingId, next);
    void next.finally(() => {
      if (queues.get(meetingId) === next) queues.delete(meetingId);
    });
    return next;
  }

  async function remove(meetingId: string, identity: string, why: string): Promise<boolean> {
    const removed = await livekit.removeParticipant(meetingId, identity);
    log.warn({ meetingId, identity, why }, 'not admitted: removed from media');
    return removed;
  }

  /**
   * Judges one connection's tracks. Returns true when the connection was dealt with (removed,
   * its person ejected).
   */
  async function judge(
    meetingId: string,
    state: MeetingState | null,
    p: Pick<LivekitParticipant, 'identity' | 'seated'>,
    tracks: readonly LivekitTrack[],
  ): Promise<boolean> {
    const participantId = parseMediaIdentity(p.identity)?.participantId;
    const grants = state && p.seated && participantId ? grantsFor(state, participantId) : null;
    for (const track of tracks) {
      const verdict =
        track.kind === null ? 'unknown_source' : judgeTrack(track.kind, track.source, grants);
      const action = TRACK_ACTION[verdict];
      if (action === 'keep') continue;
      if (action === 'by_permissions') continue;
      const reason = removalReason(track.kind ?? 'video');
      log.warn({ meetingId, identity: p.identity, verdict }, 'forged track: removed from media');
      await livekit.removeParticipant(meetingId, p.identity);
      // Only the seat holder speaks for the person; a stray connection on a leaked token is
      // removed without costing the real person their seat.
      if (p.seated && participantId) await deps.eject(meetingId, participantId, reason);
      return true;
    }
    return false;
  }

  /**
   * Brings the room in line with `state`: strangers out, forged tracks judged, the seat holder
   * of each current identity holding exactly its grants, every other connection nothing.
   * `force` resends grants even when LiveKit already reports them (after a mode change).
   */
  async function align(
    meetingId: string,
    state: MeetingState | null,
    force: boolean,
  ): Promise<ReconcileReport> {
    const present = await livekit.listParticipants(meetingId);
    const assignments = new Map(
      (state ? mediaAssignments(state) : []).map((a) => [a.identity, a.grants]),
    );
    let removed = 0;
    let repaired = 0;
    let ejected = 0;
    await Promise.all(
      present.map(async (p) => {
        const grants = assignments.get(p.identity);
        if (!grants) {
          await remove(meetingId, p.identity, 'reconcile');
          removed++;
          return;
        }
        // Permissions first: taking a source away makes the SFU drop its track at once.
        const wanted: MediaGrants | null = p.seated ? grants : null;
        if (force || !matches(p, wanted)) {
          await livekit.updatePermissions(meetingId, p.identity, wanted);
          if (!force) {
            log.warn({ meetingId, identity: p.identity }, 'permission drift repaired');
            repaired++;
          }
        }
        if (await judge(meetingId, state, p, p.tracks)) ejected++;
      }),
    );
    if (!force && state) noteMissing(meetingId, state, new Set(present.map((p) => p.identity)));
    return { removed, repaired, ejected };
  }

  /**
   * The reconcile's view of presence: an admitted person noted as connected whose identity has
   * been missing from the room for the grace is noted as lost (the webhook may be lost).
   */
  function noteMissing(meetingId: string, state: MeetingState, present: ReadonlySet<string>) {
    const now = deps.now();
    for (const p of state.participants) {
      const identity = mediaIdentity(p.id, p.admissionNumber);
      // Anyone not in the room, not yet connected, or present is not missing (nothing is kept).
      if (PRESENCE[p.state] !== 'media' || p.connection !== 'connected' || present.has(identity)) {
        missingSince.delete(identity);
        continue;
      }
      const since = missingSince.get(identity);
      if (since === undefined) missingSince.set(identity, now);
      else if (now - since >= deps.lostGraceMs) {
        missingSince.delete(identity);
        deps.note(meetingId, p.id, 'lost');
      }
    }
  }

  /** Checks again once the grace has passed (a reload is back by then). */
  function afterGrace(meetingId: string, identity: string) {
    const timer = setTimeout(() => {
      graceTimers.delete(timer);
      void serial(meetingId, () => checkLost(meetingId, identity), undefined);
    }, deps.lostGraceMs);
    timer.unref();
    graceTimers.add(timer);
  }

  /** After the grace: still admitted with this identity, still not in the room? Then lost. */
  async function checkLost(meetingId: string, identity: string) {
    const state = await deps.latestState(meetingId);
    const parsed = parseMediaIdentity(identity);
    if (!state || !parsed || !isIdentityCurrent(state, identity)) return;
    const p = state.participants.find((x) => x.id === parsed.participantId);
    if (!p || p.connection === 'lost') return;
    if (await livekit.getParticipant(meetingId, identity)) return;
    deps.note(meetingId, p.id, 'lost');
  }

  return {
    restrictEarly(meetingId, before, after) {
      if (!restricts(before, after)) return;
      void serial(meetingId, () => align(meetingId, after, true), NO_REPORT);
    },

    async afterCommit(meetingId, before, after) {
      // An admission alone changes nothing here: the newcomer is granted when they claim the seat.
      const now = new Set(currentIdentities(after));
      const changed =
        before.mode !== after.mode ||
        before.settings !== after.settings ||
        currentIdentities(before).some((i) => !now.has(i));
      if (!changed) return;
      await serial(
        meetingId,
        async () => align(meetingId, await deps.latestState(meetingId), true),
        NO_REPORT,
      );
    },

    seat(meetingId, participantId, sid) {
      return serial<SeatRefusal | null>(
        meetingId,
        async () => {
          const state = await deps.latestState(meetingId);
          const participant = state?.participants.find((p) => p.id === participantId);
          const grants = state ? grantsFor(state, participantId) : null;
          if (!state || !participant || !grants) return 'not_current';
          const identity = mediaIdentity(participantId, participant.admissionNumber);
          const seated = await livekit.seat(meetingId, identity, sid, grants);
          if (!seated) return 'not_connected';
          if (participant.connection !== 'connected')
            deps.note(meetingId, participantId, 'connected');
          return null;
        },
        'not_connected',
      );
    },

    joined(meetingId, identity) {
      return serial(
        meetingId,
        async () => {
          const state = await deps.latestState(meetingId);
          if (!state || !isIdentityCurrent(state, identity)) {
            await remove(meetingId, identity, 'participant_joined');
            return;
          }
          // A replayed or refreshed token may carry rights; only the seat holder keeps any.
          const p = await livekit.getParticipant(meetingId, identity);
          if (p && !p.seated && !matches(p, null)) {
            await livekit.updatePermissions(meetingId, identity, null);
          }
        },
        undefined,
      );
    },

    left(meetingId, identity) {
      void serial(
        meetingId,
        async () => {
          const state = await deps.latestState(meetingId);
          const parsed = parseMediaIdentity(identity);
          const p = parsed && state?.participants.find((x) => x.id === parsed.participantId);
          if (!p) return false;
          const closedAt = await deps.channelClosedAt(p.id, p.device ?? '');
          if (closedAt === null || deps.now() - closedAt < deps.lostGraceMs) return false;
          await checkLost(meetingId, identity);
          return true;
        },
        false,
      ).then((settled) => {
        if (!settled) afterGrace(meetingId, identity);
      });
    },

    published(meetingId, identity, track) {
      return serial(
        meetingId,
        async () => {
          const state = await deps.latestState(meetingId);
          if (!state || !isIdentityCurrent(state, identity)) {
            await remove(meetingId, identity, 'track_published');
            return;
          }
          const p = await livekit.getParticipant(meetingId, identity);
          await judge(meetingId, state, { identity, seated: p?.seated ?? false }, [track]);
        },
        undefined,
      );
    },

    reconcile(meetingId) {
      return serial<ReconcileReport | null>(
        meetingId,
        async () => align(meetingId, await deps.latestState(meetingId), false),
        NO_REPORT,
        { skipped: null },
      );
    },

    async idle() {
      for (const timer of graceTimers) clearTimeout(timer);
      graceTimers.clear();
      while (queues.size > 0) await Promise.all([...queues.values()]);
    },
  };
}

/** Whether a connection holds exactly `wanted` (null: nothing at all). */
function matches(p: LivekitParticipant, wanted: MediaGrants | null): boolean {
  if (wanted) return sameGrants(p.permission, wanted);
  const held = p.permission;
  return !held || (!held.canSubscribe && !held.canPublish && !held.canPublishData);
}
