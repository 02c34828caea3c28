import type { MeetingRole } from './roles.ts';
import type { MeetingSettings, Mode } from './modes.ts';
import type { Companion, ConsentRecord, RecordKind } from './meeting-state.ts';
import type { AdmissionBasis } from './admission-rules.ts';
import type { ServerRemovalReason } from './track-kinds.ts';

/** Every event carries its type and its time (epoch milliseconds, passed in by the caller). */
interface EventBase<T extends string> {
  readonly type: T;
  readonly at: number;
}

/** Staff created a personal link for someone (`by` is a staff id). */
export interface ParticipantInvited extends EventBase<'participant.invited'> {
  readonly participantId: string;
  readonly role: MeetingRole;
  readonly by: string;
}

/**
 * Marks an event about a knock from another device (see {@link DeviceKnocked}) rather than about
 * the person's seat, which that event leaves untouched.
 */
interface AboutOtherDevice {
  readonly otherDevice?: true;
}

/**
 * Someone knocked: they are in the lobby with the companions they declared. `device` is the
 * guest session knocking (absent for staff). `fromAnotherDevice`: the place was held by another
 * device, so every key is asked afresh (the centre person's consent too).
 */
export interface ParticipantJoinedLobby extends EventBase<'participant.joined_lobby'> {
  readonly participantId: string;
  readonly companions: readonly Companion[];
  readonly device?: string;
  readonly fromAnotherDevice?: true;
}

/**
 * The person's link knocked from another device while their seat is held in the room ("Peter is
 * joining from another device"). The seat stays with the first device until this knock is let in
 * under the person's rule (for network members and observers: both keys, consent asked afresh);
 * letting it in moves the seat, with a new admission number, and the first device is out.
 */
export interface DeviceKnocked extends EventBase<'device.knocked'> {
  readonly participantId: string;
  readonly device: string;
  readonly companions: readonly Companion[];
}

/** A facilitator turned their key for this knock; the person may still await consent. */
export interface AdmissionApproved extends EventBase<'admission.approved'>, AboutOtherDevice {
  readonly participantId: string;
  readonly by: string;
}

/** The centre person consented to a participant and to the companions named here. */
export interface ConsentGiven extends EventBase<'consent.given'>, AboutOtherDevice {
  readonly participantId: string;
  readonly by: string;
  readonly kind: ConsentRecord['kind'];
  readonly companions: readonly string[];
}

/** The centre person withdrew consent (by declining or asking the person to leave). */
export interface ConsentWithdrawn extends EventBase<'consent.withdrawn'> {
  readonly participantId: string;
  readonly by: string;
}

/**
 * Admission committed: from now on a token may be issued, with identity
 * `mediaIdentity(participantId, admissionNumber)`.
 */
export interface ParticipantAdmitted extends EventBase<'participant.admitted'>, AboutOtherDevice {
  readonly participantId: string;
  readonly admissionNumber: number;
  /** Why the door opened: which rule applied (shown in the timeline). */
  readonly basis: AdmissionBasis;
}

/** Turned away for now; `retryAt` is when they may knock again. */
export interface ParticipantDeclined extends EventBase<'participant.declined'>, AboutOtherDevice {
  readonly participantId: string;
  readonly by: string;
  readonly retryAt: number;
}

/**
 * Asked to leave: removed from media, back in the lobby; the admission number is spent. When the
 * server removed them for a forged track, `by` is {@link SERVER_ACTOR} and `reason` says why.
 */
export interface ParticipantRemoved extends EventBase<'participant.removed'> {
  readonly participantId: string;
  readonly by: string;
  readonly admissionNumber: number;
  readonly reason?: ServerRemovalReason;
}

/** The `by` of what the server did on its own (a removal for a forged track). */
export const SERVER_ACTOR = 'server';

/** A device changed who is with them; announced to everyone. */
export interface CompanionsChanged extends EventBase<'companions.changed'> {
  readonly participantId: string;
  readonly companions: readonly Companion[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/** The mode changed; on return to dialogue `respondOrder` lists who asked to respond, first first. */
export interface ModeChanged extends EventBase<'mode.changed'> {
  readonly mode: Mode;
  readonly by: string;
  readonly respondOrder: readonly string[];
}

/** "I'd like to respond", raised during a reflection. */
export interface HandRaised extends EventBase<'hand.raised'> {
  readonly participantId: string;
}

/** An entry added to the shared record; the optional details are present only when given. */
export interface RecordAdded extends EventBase<'record.added'> {
  readonly entryId: string;
  readonly kind: RecordKind;
  readonly text: string;
  readonly by: string;
  readonly who?: string;
  readonly when?: string;
  readonly meetingAt?: number;
  readonly corrects?: string;
}

/** The first core-team member arrived. */
export interface MeetingStarted extends EventBase<'meeting.started'> {
  readonly by: string;
}

/** A facilitator ended the meeting for everyone, or the server ended an idle one. */
export interface MeetingEnded extends EventBase<'meeting.ended'> {
  readonly by: string;
  /** `idle`: the server ended it, nobody having been in the room for the bound (`by` is the server). */
  readonly reason?: 'idle';
}

/** Someone left the lobby or the room on their own, or their revoked link took them out. */
export interface ParticipantLeft extends EventBase<'participant.left'>, AboutOtherDevice {
  readonly participantId: string;
  /** `lost`: the waiting page's live channel was gone past the bound (its browser died). */
  readonly reason: 'left' | 'link_revoked' | 'lost';
}

/** Meeting settings changed; carries the complete new settings. */
export interface SettingsChanged extends EventBase<'settings.changed'> {
  readonly settings: MeetingSettings;
  readonly by: string;
}

/**
 * A second connection took an admitted person's media seat with their token (LiveKit's
 * duplicate-identity rule), as reported by the person's own device; they get the seat back,
 * and facilitators are told. The newcomer was never granted anything.
 */
export interface MediaDisplaced extends EventBase<'media.displaced'> {
  readonly participantId: string;
}

/**
 * The admitted person's media connection is up (their device claimed its seat). `back` when it
 * had been lost: the timeline says they are back. Their admission stood meanwhile.
 */
export interface MediaConnected extends EventBase<'media.connected'> {
  readonly participantId: string;
  readonly back?: true;
}

/**
 * The admitted person's media connection is gone (the media server saw them leave without
 * leaving the meeting: a crash, a dead network). They stay admitted and may come back.
 */
export interface MediaLost extends EventBase<'media.lost'> {
  readonly participantId: string;
}

/**
 * Someone changed their "if we get cut off" plan. Carries no text: the plan lives in the
 * participant's row, so the log (kept for the timeline, read by everyone in the room) never
 * holds how to reach a family (ADR 0028). Shown only to the person and plan readers.
 */
export interface PlanChanged extends EventBase<'plan.changed'> {
  readonly participantId: string;
}

/** Staff revoked a personal link (`by` is a staff id). */
export interface LinkRevoked extends EventBase<'link.revoked'> {
  readonly participantId: string;
  readonly by: string;
}

/**
 * The vocabulary of a meeting's append-only log. Each event is a fact with actor and time;
 * `reduce` folds them into a {@link MeetingState}.
 */
export type MeetingEvent =
  | ParticipantInvited
  | ParticipantJoinedLobby
  | DeviceKnocked
  | AdmissionApproved
  | ConsentGiven
  | ConsentWithdrawn
  | ParticipantAdmitted
  | ParticipantDeclined
  | ParticipantRemoved
  | CompanionsChanged
  | ModeChanged
  | HandRaised
  | RecordAdded
  | MeetingStarted
  | MeetingEnded
  | ParticipantLeft
  | SettingsChanged
  | LinkRevoked
  | MediaDisplaced
  | MediaConnected
  | MediaLost
  | PlanChanged;

export type MeetingEventType = MeetingEvent['type'];

const EVENT_TYPE_TABLE = {
  'participant.invited': true,
  'participant.joined_lobby': true,
  'device.knocked': true,
  'admission.approved': true,
  'consent.given': true,
  'consent.withdrawn': true,
  'participant.admitted': true,
  'participant.declined': true,
  'participant.removed': true,
  'companions.changed': true,
  'mode.changed': true,
  'hand.raised': true,
  'record.added': true,
  'meeting.started': true,
  'meeting.ended': true,
  'participant.left': true,
  'settings.changed': true,
  'link.revoked': true,
  'media.displaced': true,
  'media.connected': true,
  'media.lost': true,
  'plan.changed': true,
} as const satisfies Record<MeetingEventType, true>;

/** Every event type, e.g. for the protocol's schemas and the database's check constraint. */
export const MEETING_EVENT_TYPES = Object.keys(EVENT_TYPE_TABLE) as readonly MeetingEventType[];
