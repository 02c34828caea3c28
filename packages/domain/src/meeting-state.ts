import type { MediaConnection } from './connection.ts';
import type { MeetingRole } from './roles.ts';
import {
  completeSettings,
  DEFAULT_MEETING_SETTINGS,
  type MeetingSettings,
  type Mode,
} from './modes.ts';
import type { ParticipantState } from './participant-state.ts';

/** `scheduled` until the first core-team member arrives, `live` until a facilitator ends it. */
export type MeetingStatus = 'scheduled' | 'live' | 'ended';

/**
 * The centre person's consent to a participant: given live in the meeting, or recorded in
 * advance by staff on the centre person's word (`pre_approval`). It stands until withdrawn,
 * so a person whose phone dropped is not asked about twice; asking someone to leave clears it.
 */
export interface ConsentRecord {
  readonly kind: 'live' | 'pre_approval';
  /** Participant id of the centre person, or the staff id who recorded a pre-approval. */
  readonly by: string;
  /** Epoch milliseconds. */
  readonly at: number;
}

/** A facilitator's "let them in" for the current knock; cleared when the person leaves the lobby. */
export interface AdmissionKey {
  readonly by: string;
  readonly at: number;
}

/**
 * Someone physically with a participant ("Mum and Grandad are here with me"). They are in the
 * roster for everyone; `agreed` says whether the centre person has consented to them.
 */
export interface Companion {
  readonly name: string;
  readonly agreed: boolean;
}

/**
 * A knock from another device (another guest session of the same personal link) while the
 * person's seat is held in the room by their first device. The seat stays where it is until this
 * knock is let in under the person's own rule; consent is asked afresh, because whoever holds a
 * forwarded link is not necessarily the person the centre person agreed to. `state` is where the
 * knock stands: waiting, turned away ("not now") or withdrawn (that device left).
 */
export interface OtherDeviceKnock {
  readonly device: string;
  readonly state: 'waiting' | 'declined' | 'left';
  readonly companions: readonly Companion[];
  readonly facilitatorKey: AdmissionKey | null;
  readonly consent: ConsentRecord | null;
  readonly at: number;
}

/** One person's place in the meeting (reached from one device at a time) and where it stands. */
export interface Participant {
  readonly id: string;
  readonly role: MeetingRole;
  readonly state: ParticipantState;
  readonly companions: readonly Companion[];
  /**
   * 0 before the first admission, then the number of the current (or last) admission. Each
   * admission gets a new number, so an old LiveKit identity can never be valid again.
   */
  readonly admissionNumber: number;
  readonly facilitatorKey: AdmissionKey | null;
  readonly consent: ConsentRecord | null;
  /** How many times this person was declined in this meeting (drives the knock limit). */
  readonly declines: number;
  readonly lastDeclinedAt: number | null;
  readonly linkRevoked: boolean;
  /**
   * The device (guest session id) that holds this person's place: the seat in the room, or the
   * place in the lobby. `null` for staff, who are reached by their staff session, and before the
   * first knock.
   */
  readonly device: string | null;
  /** A knock from another device while the seat is held in the room, if any. */
  readonly otherDevice: OtherDeviceKnock | null;
  /** The media connection of an admitted person (see `connection.ts`); `connecting` otherwise. */
  readonly connection: MediaConnection;
  /** When the media connection was lost; `null` unless `connection` is `lost`. */
  readonly lostAt: number | null;
}

/** A wish to respond raised during a reflection. */
export interface Wish {
  readonly participantId: string;
  readonly at: number;
}

/**
 * What a shared-record entry is: a decision, a next step (with who and when), an open question,
 * or the agreed time of the next meeting.
 */
export const RECORD_KINDS = ['decision', 'next_step', 'open_question', 'next_meeting'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/**
 * An entry of the shared record, written live in front of everyone. Entries are never edited or
 * deleted: a correction is a new entry whose `corrects` names the entry it corrects.
 */
export interface RecordEntry {
  readonly id: string;
  readonly kind: RecordKind;
  readonly text: string;
  readonly by: string;
  readonly at: number;
  /** A next step: who will do it (free text, e.g. "Dr Lee" or "Mum"). */
  readonly who: string | null;
  /** A next step: by when (free text, e.g. "before Friday"). */
  readonly when: string | null;
  /** The next meeting's agreed time (epoch milliseconds). */
  readonly meetingAt: number | null;
  /** The id of the earlier entry this one corrects. */
  readonly corrects: string | null;
}

/**
 * Everything the rules need to know about one meeting. Plain, serialisable data rebuilt from
 * the event log by `replay`, so any signalling node can reconstruct it from the database.
 */
export interface MeetingState {
  readonly status: MeetingStatus;
  readonly mode: Mode;
  readonly settings: MeetingSettings;
  /** In invitation order (the roster's order). */
  readonly participants: readonly Participant[];
  /** Wishes to respond in the current reflection, first asked first. */
  readonly wishes: readonly Wish[];
  /** Who asked to respond in the last reflection, first asked first (shown back in dialogue). */
  readonly respondOrder: readonly string[];
  readonly record: readonly RecordEntry[];
  readonly startedAt: number | null;
  readonly endedAt: number | null;
}

/**
 * The state before any event. Meetings start in dialogue; `settings` is the meeting's
 * configuration at creation (later changes are `settings.changed` events). A meeting stored
 * before a setting existed has that setting at its default.
 */
export function initialMeetingState(
  settings: Partial<MeetingSettings> = DEFAULT_MEETING_SETTINGS,
): MeetingState {
  return {
    status: 'scheduled',
    mode: 'dialogue',
    settings: completeSettings(settings),
    participants: [],
    wishes: [],
    respondOrder: [],
    record: [],
    startedAt: null,
    endedAt: null,
  };
}

/** The participant with this id, if any. */
export function findParticipant(state: MeetingState, id: string): Participant | undefined {
  return state.participants.find((p) => p.id === id);
}

/**
 * Whether a centre person's place gives way to a new link for them: staff revoked their link
 * and they are not in the room (a waiting holder left when it was revoked; an admitted one
 * stays until asked to leave, and meanwhile keeps the place).
 */
export function centrePlaceGivesWay(p: Participant): boolean {
  return p.role === 'centre' && p.linkRevoked && p.state !== 'admitted';
}

/**
 * The person at the centre of the network, if one is set for this meeting (invited, whatever
 * their state): the place whose link was re-issued after a revocation, else the only one.
 * Without one, a facilitator's admission alone lets people in.
 */
export function centrePerson(state: MeetingState): Participant | undefined {
  const centres = state.participants.filter((p) => p.role === 'centre');
  return centres.find((p) => !centrePlaceGivesWay(p)) ?? centres[0];
}
