import { COMMAND_ROLES, type MeetingRole } from '@polyphony/domain';
import type { LobbyEntry } from '@polyphony/protocol';
import { awaitsCentre, awaitsFacilitator } from './door-actions.ts';
import type { RoomEvent } from './live-messages.ts';
import type { LiveState, LobbyView } from './live-state.ts';

/** Whether this waiting person still needs the viewer's key (to be let in, or agreed to). */
export function waitsForViewer(viewer: MeetingRole, entry: LobbyEntry): boolean {
  if (entry.state !== 'waiting') return false;
  return (
    (COMMAND_ROLES.admit[viewer] && awaitsFacilitator(entry)) ||
    (COMMAND_ROLES.consent[viewer] && awaitsCentre(entry))
  );
}

/** How many people wait for the viewer's key (the tab title shows it). */
export function waitingForViewer(viewer: MeetingRole, lobby: LobbyView | null): number {
  return lobby === null ? 0 : lobby.waiting.filter((e) => waitsForViewer(viewer, e)).length;
}

/**
 * Whether the door has news for the viewer worth a sound: someone now waits for their key who
 * did not before (a knock), or the centre person has just agreed to someone the viewer must
 * still let in (the centre person answered).
 */
export function doorChimes(
  viewer: MeetingRole,
  before: LobbyView | null,
  after: LobbyView | null,
): boolean {
  if (after === null) return false;
  const was = new Map((before?.waiting ?? []).map((e) => [e.participantId, e]));
  return after.waiting.some((entry) => {
    if (!waitsForViewer(viewer, entry)) return false;
    const previous = was.get(entry.participantId);
    if (previous === undefined || !waitsForViewer(viewer, previous)) return true;
    return entry.needsCentre && !previous.centreAgreed && entry.centreAgreed;
  });
}

/** The centre person said "not now" to someone waiting: who, and who said it. */
export interface CentreDeclined {
  readonly seq: number;
  readonly name: string;
  readonly centre: string;
}

/**
 * For those who let people in: the centre person's "no" to someone waiting, so it is said
 * plainly rather than the person just vanishing from the waiting room. Null for anything else.
 */
export function centreDeclined(
  viewer: MeetingRole,
  before: LiveState,
  event: RoomEvent,
  seq: number,
): CentreDeclined | null {
  if (event.type !== 'participant.declined' || !COMMAND_ROLES.admit[viewer]) return null;
  const centre = [before.me, ...before.others].find(
    (p) => p.participantId === event.by && p.role === 'centre',
  );
  const waiting = before.lobby?.waiting.find((e) => e.participantId === event.participantId);
  if (centre === undefined || waiting === undefined) return null;
  return { seq, name: waiting.displayName, centre: centre.displayName };
}
