import { participantRows, type DbOrTx, type ParticipantRows } from '@polyphony/db';
import {
  admissionStatus,
  currentIdentity,
  findParticipant,
  hasCentrePerson,
  knockRetryAt,
  NAMES_A_LANGUAGE,
  maySeePlanOf,
  PRESENCE,
  waitingOtherDevice,
  type MeetingState,
  type Participant,
} from '@polyphony/domain';
import type { AdmissionView, LobbyEntry, RosterEntry } from '@polyphony/protocol';

/** Display names and cut-off plans of a meeting's participants as of a sequence number. */
export type DisplayNames = (meetingId: string, seq: number) => Promise<ParticipantRows>;

const MAX_CACHED_MEETINGS = 500;
/** A names read still pending after this is no longer shared (see the live channel's `stallMs`). */
const UNSETTLED_MS = 10_000;

/**
 * Names and cut-off plans live in rows, never in the log, and change only together with an
 * event (invite, knock, `plan.changed`), so one read per meeting and sequence number serves
 * every live connection of that meeting instead of one read per socket per event.
 */
export function createDisplayNames(db: DbOrTx): DisplayNames {
  const cache = new Map<string, { seq: number; names: Promise<ParticipantRows> }>();
  return (meetingId, seq) => {
    const known = cache.get(meetingId);
    if (known && known.seq === seq) return known.names;
    const names = participantRows(db, meetingId);
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

const NO_ROWS: ParticipantRows = { names: new Map(), languages: new Map(), plans: new Map() };
/** For views that show no one (outside the room): nothing read. */
export const noRows = (): ParticipantRows => NO_ROWS;

/**
 * One person on the roster as `viewer` sees them: with their cut-off plan only where the domain
 * lets the viewer see it (`maySeePlanOf`); for anyone else the field is absent.
 */
export function rosterEntry(
  p: Participant,
  rows: ParticipantRows,
  viewer: Participant,
): RosterEntry {
  return {
    participantId: p.id,
    displayName: rows.names.get(p.id) ?? '',
    role: p.role,
    language: NAMES_A_LANGUAGE[p.role] ? (rows.languages.get(p.id) ?? null) : null,
    companions: p.companions.map((c) => c.name),
    mediaIdentity: currentIdentity(p),
    connection: p.connection,
    lostAt: p.lostAt,
    ...(maySeePlanOf(viewer, p.id) ? { plan: rows.plans.get(p.id) ?? null } : {}),
  };
}

/** Everyone in the room, in the roster's order, as `viewer` sees them. */
export function roster(
  state: MeetingState,
  rows: ParticipantRows,
  viewer: Participant,
): RosterEntry[] {
  return state.participants
    .filter((p) => PRESENCE[p.state] === 'media')
    .map((p) => rosterEntry(p, rows, viewer));
}

/**
 * The waiting room with companions and where each person's keys stand, including knocks from
 * another device of someone in the room ("Peter is joining from another device").
 */
export function lobby(state: MeetingState, { names }: ParticipantRows): LobbyEntry[] {
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
        displayName: names.get(p.id) ?? '',
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
