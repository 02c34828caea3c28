import { participantLabels, type DbOrTx, type PersonLabel } from '@polyphony/db';
import {
  admissionStatus,
  currentIdentity,
  findParticipant,
  hasCentrePerson,
  knockRetryAt,
  NAMES_A_LANGUAGE,
  PRESENCE,
  waitingOtherDevice,
  type MeetingState,
  type Participant,
} from '@polyphony/domain';
import type { AdmissionView, LobbyEntry, RosterEntry } from '@polyphony/protocol';

/** Labels of a meeting's participants as of a sequence number: names, interpreters' languages. */
export type Labels = ReadonlyMap<string, PersonLabel>;
export type DisplayNames = (meetingId: string, seq: number) => Promise<Labels>;

const MAX_CACHED_MEETINGS = 500;
/** A names read still pending after this is no longer shared (see the live channel's `stallMs`). */
const UNSETTLED_MS = 10_000;

/**
 * Names live in rows, never in the log, and change only together with an event (invite,
 * knock), so one read per meeting and sequence number serves every live connection of that
 * meeting instead of one read per socket per event.
 */
export function createDisplayNames(db: DbOrTx): DisplayNames {
  const cache = new Map<string, { seq: number; names: Promise<Labels> }>();
  return (meetingId, seq) => {
    const known = cache.get(meetingId);
    if (known && known.seq === seq) return known.names;
    const names = participantLabels(db, meetingId);
    cache.delete(meetingId);
    cache.set(meetingId, { seq, names });
    // A failed read is not kept (unless a newer read has already taken its place), nor one
    // still unanswered after UNSETTLED_MS: a read cut off by a database restart may never
    // settle, and every connection of the meeting would wait on it.
    let settled = false;
    const forget = () => {
      if (cache.get(meetingId)?.names === names) cache.delete(meetingId);
    };
    names.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
        forget();
      },
    );
    setTimeout(() => {
      if (!settled) forget();
    }, UNSETTLED_MS).unref();
    if (cache.size > MAX_CACHED_MEETINGS) cache.delete(cache.keys().next().value!);
    return names;
  };
}

export function rosterEntry(p: Participant, names: Labels): RosterEntry {
  const label = names.get(p.id);
  return {
    participantId: p.id,
    displayName: label?.displayName ?? '',
    role: p.role,
    language: NAMES_A_LANGUAGE[p.role] ? (label?.language ?? null) : null,
    companions: p.companions.map((c) => c.name),
    mediaIdentity: currentIdentity(p),
    connection: p.connection,
    lostAt: p.lostAt,
  };
}

/** Everyone in the room, in the roster's order. */
export function roster(state: MeetingState, names: Labels): RosterEntry[] {
  return state.participants
    .filter((p) => PRESENCE[p.state] === 'media')
    .map((p) => rosterEntry(p, names));
}

/**
 * The waiting room with companions and where each person's keys stand, including knocks from
 * another device of someone in the room ("Peter is joining from another device").
 */
export function lobby(state: MeetingState, names: Labels): LobbyEntry[] {
  return state.participants
    .flatMap((p) => {
      if (PRESENCE[p.state] === 'lobby') return [{ p, fromAnotherDevice: false }];
      const knock = waitingOtherDevice(p);
      return knock ? [{ p: knock, fromAnotherDevice: true }] : [];
    })
    .map(({ p, fromAnotherDevice }) => {
      const status = admissionStatus(state, p);
      return {
        participantId: p.id,
        displayName: names.get(p.id)?.displayName ?? '',
        role: p.role,
        state: p.state,
        companions: p.companions.map((c) => ({ name: c.name, agreed: c.agreed })),
        basis: status.basis,
        needsFacilitator: status.needsFacilitator,
        facilitatorAgreed: status.facilitatorAgreed,
        needsCentre: status.needsCentre,
        centreAgreed: status.centreAgreed,
        pendingCompanions: [...status.pendingCompanions],
        fromAnotherDevice,
      };
    });
}

/** One's own place at the door. */
export function admissionView(state: MeetingState, participantId: string): AdmissionView | null {
  const p = findParticipant(state, participantId);
  if (!p) return null;
  const retryAt = p.state === 'declined' ? knockRetryAt(p.declines, p.lastDeclinedAt) : null;
  return {
    state: p.state,
    role: p.role,
    admissionNumber: p.admissionNumber,
    companions: p.companions.map((c) => ({ name: c.name, agreed: c.agreed })),
    retryAt: retryAt === null ? null : new Date(retryAt).toISOString(),
    hasCentrePerson: hasCentrePerson(state),
    linkRevoked: p.linkRevoked,
    otherDeviceKnocking: waitingOtherDevice(p) !== undefined,
  };
}
