import { authorise } from './authorise.ts';
import type {
  DropKnockCommand,
  MeetingCommand,
  NoteConnectedCommand,
  NoteDisplacedCommand,
  NoteLostCommand,
  TargetedCommand,
  UntargetedCommand,
} from './commands.ts';
import { dropKnock, noteConnected, noteLost } from './connection.ts';
import { endIdle } from './idle.ts';
import { admit, consent, join } from './decide-admission.ts';
import { updateOwnCompanions } from './decide-companions.ts';
import { decline, eject, leave, noteDisplaced, remove } from './decide-departure.ts';
import { addRecord, changeSettings, end, raiseHand, switchMode } from './decide-room.ts';
import { invite, openMeeting, recordPreApproval, revokeLink } from './decide-staff.ts';
import type { MeetingEvent } from './meeting-events.ts';
import { findParticipant, type MeetingState, type Participant } from './meeting-state.ts';
import { accept, type Outcome } from './outcome.ts';
import { reduce } from './reduce.ts';
import { reject, type Rejection } from './result.ts';
import { deviceStanding, otherDeviceView, waitingOtherDevice } from './devices.ts';
import { OTHER_DEVICE, SEAT } from './outcome.ts';

/**
 * An accepted command gives the new state and the events to append to the log (in one
 * transaction with whatever else the command changes); a refused one gives a coded reason.
 */
export type Decision =
  | { readonly ok: true; readonly state: MeetingState; readonly events: readonly MeetingEvent[] }
  | Rejection;

/**
 * The acting participant, if the command's device may act for them: only the device holding the
 * place acts; a knock from another device may only withdraw itself (`leave`); a device whose
 * place moved to another device can do nothing.
 */
function actingParticipant(
  state: MeetingState,
  command: TargetedCommand | UntargetedCommand,
): Participant | Rejection {
  const actor = findParticipant(state, command.actorId);
  if (actor === undefined) return reject('UNKNOWN_PARTICIPANT');
  switch (deviceStanding(actor, command.device)) {
    case 'holder':
      return actor;
    case 'moved':
      return reject('MOVED_TO_ANOTHER_DEVICE');
    case 'other_device':
      return command.type === 'leave' ? actor : reject('NOT_ADMITTED');
  }
}

function targeted(state: MeetingState, command: TargetedCommand, now: number): Outcome {
  const actor = actingParticipant(state, command);
  if ('ok' in actor) return actor;
  const found = findParticipant(state, command.targetId);
  if (found === undefined) return reject('TARGET_NOT_FOUND');
  // While another device of the target knocks, the door commands are about that knock.
  const knock = command.type === 'remove' ? undefined : waitingOtherDevice(found);
  const target = knock ?? found;
  const tag = knock ? OTHER_DEVICE : SEAT;
  const authorised = authorise(actor, command.type, target);
  if (!authorised.ok) return authorised;
  switch (command.type) {
    case 'admit':
      return admit(state, actor, target, tag, now);
    case 'decline':
      return decline(actor, target, tag, now);
    case 'consent':
      return consent(state, actor, target, tag, now);
    case 'remove':
      return remove(actor, target, now);
  }
}

function untargeted(state: MeetingState, command: UntargetedCommand, now: number): Outcome {
  const found = actingParticipant(state, command);
  if ('ok' in found) return found;
  const knock = deviceStanding(found, command.device) === 'other_device';
  const actor = knock ? otherDeviceView(found, found.otherDevice!) : found;
  const authorised = authorise(actor, command.type);
  if (!authorised.ok) return authorised;
  switch (command.type) {
    case 'switch_mode':
      return switchMode(state, actor, command, now);
    case 'record':
      return addRecord(state, actor, command, now);
    case 'end':
      return end(actor, now);
    case 'update_own_companions':
      return updateOwnCompanions(state, actor, command, now);
    case 'update_own_plan':
      return accept({ type: 'plan.changed', at: now, participantId: actor.id });
    case 'raise_hand':
      return raiseHand(state, actor, now);
    case 'change_settings':
      return changeSettings(state, actor, command, now);
    case 'leave':
      return leave(actor, knock ? OTHER_DEVICE : SEAT, now);
  }
}

/** Compile-time exhaustiveness for commands; at run time an unknown type is refused, not thrown. */
function unknownCommand(_command: never): Rejection {
  return reject('INVALID_INPUT');
}

/** What the server notes about someone from what the media server or live channel saw. */
function serverNote(
  state: MeetingState,
  command: NoteDisplacedCommand | NoteConnectedCommand | NoteLostCommand | DropKnockCommand,
  now: number,
): Outcome {
  const target = findParticipant(state, command.targetId);
  if (target === undefined) return reject('TARGET_NOT_FOUND');
  switch (command.type) {
    case 'note_displaced':
      return noteDisplaced(target, now);
    case 'note_connected':
      return noteConnected(target, now);
    case 'note_lost':
      return noteLost(target, now);
    case 'drop_knock':
      return dropKnock(target, command.knockDevice, now);
  }
}

function outcome(state: MeetingState, command: MeetingCommand, now: number): Outcome {
  switch (command.type) {
    case 'open_meeting':
      return openMeeting(state, command, now);
    case 'invite':
      return invite(state, command, now);
    case 'record_pre_approval':
      return recordPreApproval(state, command, now);
    case 'revoke_link':
      return revokeLink(state, command, now);
    case 'join':
      return join(state, command, now);
    case 'admit':
    case 'decline':
    case 'consent':
    case 'remove':
      return targeted(state, command, now);
    case 'switch_mode':
    case 'record':
    case 'end':
    case 'update_own_companions':
    case 'update_own_plan':
    case 'raise_hand':
    case 'change_settings':
    case 'leave':
      return untargeted(state, command, now);
    case 'eject': {
      const target = findParticipant(state, command.targetId);
      if (target === undefined) return reject('TARGET_NOT_FOUND');
      return eject(target, command.reason, now);
    }
    case 'note_displaced':
    case 'note_connected':
    case 'note_lost':
    case 'drop_knock':
      return serverNote(state, command, now);
    case 'end_idle':
      return endIdle(state, command.quietSince, command.idleMs, now);
    default:
      return unknownCommand(command);
  }
}

/**
 * The meeting's rules in one function: given the current state, a command and the time (epoch
 * milliseconds), either refuse with a code or return the events it causes and the state after
 * them. Pure and total: no I/O, no clock, no exceptions for expected failures. The new state is
 * exactly `events` folded with `reduce`, so storing the events is enough to rebuild it anywhere.
 * An accepted command may produce no events: it was a harmless repeat (store nothing).
 */
export function decide(state: MeetingState, command: MeetingCommand, now: number): Decision {
  if (state.status === 'ended') return reject('MEETING_ENDED');
  const result = outcome(state, command, now);
  if (!result.ok) return result;
  return { ok: true, state: result.events.reduce(reduce, state), events: result.events };
}
