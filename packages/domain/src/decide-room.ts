import type { RecordAdded } from './meeting-events.ts';
import type { ChangeSettingsCommand, RecordCommand, SwitchModeCommand } from './commands.ts';
import { RECORD_KINDS, type MeetingState, type Participant } from './meeting-state.ts';
import type { MeetingSettings } from './modes.ts';
import { canSwitchMode, wishOrder } from './mode-machine.ts';
import { accept, type Outcome } from './outcome.ts';
import { reject } from './result.ts';

/** Longest shared-record entry, in characters. */
export const MAX_RECORD_TEXT = 2000;
/** Longest "who" or "when" of a next step, in characters. */
export const MAX_RECORD_DETAIL = 200;

/**
 * Switches mode. The same mode again changes nothing. Leaving a reflection carries who asked to
 * respond, first asked first, into the event shown to everyone.
 */
export function switchMode(
  state: MeetingState,
  actor: Participant,
  command: SwitchModeCommand,
  now: number,
): Outcome {
  if (command.mode === state.mode) return accept();
  if (!canSwitchMode(state.mode, command.mode)) return reject('MODE_NOT_ALLOWED');
  return accept({
    type: 'mode.changed',
    at: now,
    mode: command.mode,
    by: actor.id,
    respondOrder: state.mode === 'reflecting' ? wishOrder(state) : [],
  });
}

/** "I'd like to respond": only during a reflection; asking twice keeps the first place. */
export function raiseHand(state: MeetingState, actor: Participant, now: number): Outcome {
  if (state.mode !== 'reflecting') return reject('NOT_IN_REFLECTION');
  if (state.wishes.some((w) => w.participantId === actor.id)) return accept();
  return accept({ type: 'hand.raised', at: now, participantId: actor.id });
}

/** Adds to the shared record; a repeated `entryId` (a retry) changes nothing. */
export function addRecord(
  state: MeetingState,
  actor: Participant,
  command: RecordCommand,
  now: number,
): Outcome {
  if (state.record.some((e) => e.id === command.entryId)) return accept();
  const details = recordDetails(state, command);
  if (details === null) return reject('INVALID_INPUT');
  return accept({
    type: 'record.added',
    at: now,
    entryId: command.entryId,
    kind: command.kind,
    text: command.text.trim(),
    by: actor.id,
    ...details,
  });
}

type RecordDetails = Pick<RecordAdded, 'who' | 'when' | 'meetingAt' | 'corrects'>;

/**
 * The optional details of a valid entry, or null when the entry is not valid: text is required
 * except for the next meeting's time (a note there is optional); `who` and `when` belong only to
 * a next step, `meetingAt` only to the next meeting; `corrects` must name an earlier entry.
 */
function recordDetails(state: MeetingState, command: RecordCommand): RecordDetails | null {
  const kinds: readonly string[] = RECORD_KINDS;
  const text = command.text.trim();
  const who = command.who?.trim() ?? '';
  const when = command.when?.trim() ?? '';
  const isNextMeeting = command.kind === 'next_meeting';
  const valid =
    command.entryId !== '' &&
    kinds.includes(command.kind) &&
    text.length <= MAX_RECORD_TEXT &&
    (text !== '' || isNextMeeting) &&
    (isNextMeeting ? Number.isFinite(command.meetingAt) : command.meetingAt === undefined) &&
    (command.kind === 'next_step' || (who === '' && when === '')) &&
    who.length <= MAX_RECORD_DETAIL &&
    when.length <= MAX_RECORD_DETAIL &&
    (command.corrects === undefined || state.record.some((e) => e.id === command.corrects));
  if (!valid) return null;
  return {
    ...(who !== '' ? { who } : {}),
    ...(when !== '' ? { when } : {}),
    ...(command.meetingAt !== undefined ? { meetingAt: command.meetingAt } : {}),
    ...(command.corrects !== undefined ? { corrects: command.corrects } : {}),
  };
}

/** Ends the meeting for everyone: all leave, no identity stays valid. */
export function end(actor: Participant, now: number): Outcome {
  return accept({ type: 'meeting.ended', at: now, by: actor.id });
}

const SETTING_KEYS = {
  networkCamerasInReflection: true,
  endToEndEncrypted: true,
} as const satisfies Record<keyof MeetingSettings, true>;

/**
 * Changes the settings the command names (the others stay); the event carries the complete
 * new settings. Nothing named, an unknown name or a value that is not a boolean: INVALID_INPUT.
 * The same settings again change nothing.
 */
export function changeSettings(
  state: MeetingState,
  actor: Participant,
  command: ChangeSettingsCommand,
  now: number,
): Outcome {
  const keys = Object.keys(SETTING_KEYS) as (keyof MeetingSettings)[];
  const named = Object.keys(command.settings);
  if (named.length === 0 || named.some((k) => !(k in SETTING_KEYS))) return reject('INVALID_INPUT');
  const given = command.settings;
  if (keys.some((k) => k in given && typeof given[k] !== 'boolean')) return reject('INVALID_INPUT');
  const settings: MeetingSettings = {
    networkCamerasInReflection:
      given.networkCamerasInReflection ?? state.settings.networkCamerasInReflection,
    endToEndEncrypted: given.endToEndEncrypted ?? state.settings.endToEndEncrypted,
  };
  if (keys.every((k) => settings[k] === state.settings[k])) return accept();
  return accept({ type: 'settings.changed', at: now, settings, by: actor.id });
}
