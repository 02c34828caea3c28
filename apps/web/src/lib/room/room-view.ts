import {
  COMMAND_ROLES,
  fewerThanTwoTeam,
  mayWishToRespond,
  type MeetingRole,
} from '@polyphony/domain';
import type { LobbyEntry } from '@polyphony/protocol';
import { admitsPeople, consentQuestions } from './door-actions.ts';
import type { LiveState } from './live-state.ts';
import {
  microphoneAllowed,
  microphoneBlock,
  namesFor,
  reflectingNames,
  type MicrophoneBlock,
} from './room-layout.ts';

type Person = { readonly participantId: string; readonly displayName: string };

/** What the room shows one person, derived from the live state (rules from the domain). */
export interface RoomView {
  readonly role: MeetingRole;
  readonly reflecting: boolean;
  /** Names for the reflection banner. */
  readonly reflectingNames: readonly string[];
  readonly microphoneAllowed: boolean;
  /** Why the microphone is not available now, if it is not: this reflection, or never. */
  readonly microphoneBlock: MicrophoneBlock;
  readonly mayWish: boolean;
  /** Whether I already said "I'd like to respond" in this reflection. */
  readonly wished: boolean;
  readonly canSwitchMode: boolean;
  /** Turns the meeting's end-to-end encryption off and on (the settings command). */
  readonly canChangeSettings: boolean;
  readonly canEnd: boolean;
  /** Writes in the shared record (everyone reads it). */
  readonly canRecord: boolean;
  /** Sees the voices view (who has been heard), computed in this browser only. */
  readonly seesVoices: boolean;
  /** For those who lead: fewer than two of the team are here (a gentle note, nothing more). */
  readonly fewTeamNote: boolean;
  readonly admitsPeople: boolean;
  readonly mayAskToLeave: boolean;
  /** The centre person's live question, first knocked first. */
  readonly consentQuestion: LobbyEntry | null;
  /** During a reflection, for those who lead: who would like to respond, in order. */
  readonly wishes: readonly Person[] | null;
  /** After a reflection: who asked to respond, first asked first. */
  readonly respondOrder: readonly Person[];
}

export function roomView(live: LiveState): RoomView {
  const role = live.me.role;
  const reflecting = live.mode === 'reflecting';
  const leads = COMMAND_ROLES.switch_mode[role];
  return {
    role,
    reflecting,
    reflectingNames: reflecting ? reflectingNames(live.me, live.others) : [],
    microphoneAllowed: microphoneAllowed(role, live.mode),
    microphoneBlock: microphoneBlock(role, live.mode),
    mayWish: mayWishToRespond(role, live.mode),
    wished: live.wishes.includes(live.me.participantId),
    canSwitchMode: leads,
    canChangeSettings: COMMAND_ROLES.change_settings[role],
    canEnd: COMMAND_ROLES.end[role],
    canRecord: COMMAND_ROLES.record[role],
    seesVoices: leads,
    fewTeamNote: leads && fewerThanTwoTeam([role, ...live.others.map((p) => p.role)]),
    admitsPeople: admitsPeople(role) && live.lobby !== null,
    mayAskToLeave: COMMAND_ROLES.remove[role],
    consentQuestion: consentQuestions(role, live.lobby)[0] ?? null,
    wishes: reflecting && leads ? namesFor(live.wishes, live.me, live.others) : null,
    respondOrder: reflecting ? [] : namesFor(live.respondOrder, live.me, live.others),
  };
}
