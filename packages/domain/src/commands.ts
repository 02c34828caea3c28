import type { MeetingRole } from './roles.ts';
import type { MeetingSettings, Mode } from './modes.ts';
import type { RecordKind } from './meeting-state.ts';
import type { ServerRemovalReason } from './track-kinds.ts';

/**
 * Every command carries the id of who issues it. For staff commands (`open_meeting`, `invite`,
 * `record_pre_approval`, `revoke_link`) that is a staff id: they are made from the staff app,
 * outside the meeting, and the signal service authorises them (core team of the network)
 * before calling `decide`. For all other commands it is a participant id of this meeting and
 * `decide` authorises it itself.
 */
interface CommandBase<T extends string> {
  readonly type: T;
  readonly actorId: string;
  /**
   * The device a guest command comes from (its guest session id); absent for staff sessions.
   * Only the device holding the person's place acts for them (see `deviceStanding`).
   */
  readonly device?: string;
}

/** Open an immediate meeting now, before anyone is in (a scheduled one opens on first entry). */
export type OpenMeetingCommand = CommandBase<'open_meeting'>;

/** Create a participant with a role (a personal link, or a staff member's place). */
export interface InviteCommand extends CommandBase<'invite'> {
  readonly participantId: string;
  readonly role: MeetingRole;
}

/** Record the centre person's advance consent to an invitee, with who recorded it and when. */
export interface RecordPreApprovalCommand extends CommandBase<'record_pre_approval'> {
  readonly participantId: string;
}

/** Revoke a personal link: a holder in the lobby is removed at once; an admitted one stays. */
export interface RevokeLinkCommand extends CommandBase<'revoke_link'> {
  readonly participantId: string;
}

/** Knock: enter the lobby declaring who is physically with you. Core-team staff go straight in. */
export interface JoinCommand extends CommandBase<'join'> {
  readonly companions: readonly string[];
}

export interface AdmitCommand extends CommandBase<'admit'> {
  readonly targetId: string;
}
export interface DeclineCommand extends CommandBase<'decline'> {
  readonly targetId: string;
}
export interface ConsentCommand extends CommandBase<'consent'> {
  readonly targetId: string;
}
/** Ask someone to leave; from the centre person this withdraws consent. */
export interface RemoveCommand extends CommandBase<'remove'> {
  readonly targetId: string;
}
export interface SwitchModeCommand extends CommandBase<'switch_mode'> {
  readonly mode: Mode;
}
/**
 * Add to the shared record. `entryId` is chosen by the caller, which makes retries harmless.
 * `who` and `when` belong to a next step, `meetingAt` (epoch ms) to the next meeting's time;
 * `corrects` names an earlier entry this one corrects (nothing is ever edited or deleted).
 */
export interface RecordCommand extends CommandBase<'record'> {
  readonly entryId: string;
  readonly kind: RecordKind;
  readonly text: string;
  readonly who?: string;
  readonly when?: string;
  readonly meetingAt?: number;
  readonly corrects?: string;
}
export type EndCommand = CommandBase<'end'>;
/** Say that one's own cut-off plan changed (the text is written to one's row beside it). */
export type UpdateOwnPlanCommand = CommandBase<'update_own_plan'>;

export interface UpdateOwnCompanionsCommand extends CommandBase<'update_own_companions'> {
  readonly companions: readonly string[];
}
/** "I'd like to respond" (a wish to respond, during a reflection). */
export type RaiseHandCommand = CommandBase<'raise_hand'>;
/** Change meeting settings; the settings it names change, the others stay as they are. */
export interface ChangeSettingsCommand extends CommandBase<'change_settings'> {
  readonly settings: Partial<MeetingSettings>;
}
export type LeaveCommand = CommandBase<'leave'>;
/**
 * The server notes that someone's media seat was taken by a second connection with their token
 * (reported over their own live channel, so only ever about themselves).
 */
export interface NoteDisplacedCommand extends CommandBase<'note_displaced'> {
  readonly targetId: string;
}
/**
 * The server takes someone out of the room for what their client did (a forged track). Issued
 * only by the signal service from what the media server reports, never from a request.
 */
export interface EjectCommand extends CommandBase<'eject'> {
  readonly targetId: string;
  readonly reason: ServerRemovalReason;
}

/** The server notes that an admitted person's device claimed its media seat. */
export interface NoteConnectedCommand extends CommandBase<'note_connected'> {
  readonly targetId: string;
}
/** The server notes that the media server saw an admitted person's connection go. */
export interface NoteLostCommand extends CommandBase<'note_lost'> {
  readonly targetId: string;
}
/**
 * The server drops a knock whose page's live channel has been gone past the bound. `device` is
 * the knocking guest session (`null` for staff).
 */
export interface DropKnockCommand extends CommandBase<'drop_knock'> {
  readonly targetId: string;
  readonly knockDevice: string | null;
}

/**
 * The server ends a live meeting nobody is in, quiet since `quietSince` (its last event), once
 * `idleMs` has passed (see `idle.ts`).
 */
export interface EndIdleCommand extends CommandBase<'end_idle'> {
  readonly quietSince: number;
  readonly idleMs: number;
}

export type StaffCommand =
  OpenMeetingCommand | InviteCommand | RecordPreApprovalCommand | RevokeLinkCommand;
export type TargetedCommand = AdmitCommand | DeclineCommand | ConsentCommand | RemoveCommand;
export type UntargetedCommand =
  | SwitchModeCommand
  | RecordCommand
  | EndCommand
  | UpdateOwnCompanionsCommand
  | UpdateOwnPlanCommand
  | RaiseHandCommand
  | ChangeSettingsCommand
  | LeaveCommand;

/** Everything `decide` accepts. */
export type MeetingCommand =
  | StaffCommand
  | JoinCommand
  | TargetedCommand
  | UntargetedCommand
  | EjectCommand
  | NoteDisplacedCommand
  | NoteConnectedCommand
  | NoteLostCommand
  | DropKnockCommand
  | EndIdleCommand;

/**
 * Who vouches for each command: `staff` (the signal service checks the staff member belongs to
 * the network's core team), `knock` (the link holder's own session) or `participant` (`decide`
 * runs `authorise` against the meeting's state) or `server` (the signal service itself, from what
 * the media server reports).
 */
export type CommandAuthority = 'staff' | 'knock' | 'participant' | 'server';

export const COMMAND_AUTHORITY = {
  open_meeting: 'staff',
  invite: 'staff',
  record_pre_approval: 'staff',
  revoke_link: 'staff',
  join: 'knock',
  admit: 'participant',
  decline: 'participant',
  consent: 'participant',
  remove: 'participant',
  switch_mode: 'participant',
  record: 'participant',
  end: 'participant',
  update_own_companions: 'participant',
  update_own_plan: 'participant',
  raise_hand: 'participant',
  change_settings: 'participant',
  leave: 'participant',
  eject: 'server',
  note_displaced: 'server',
  note_connected: 'server',
  note_lost: 'server',
  drop_knock: 'server',
  end_idle: 'server',
} as const satisfies Record<MeetingCommand['type'], CommandAuthority>;
