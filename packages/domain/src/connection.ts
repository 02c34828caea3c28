import { accept, type Outcome } from './outcome.ts';
import type { Participant } from './meeting-state.ts';
import { PRESENCE } from './participant-state.ts';

/**
 * Presence is connection, not admission. An admitted person's media connection is:
 * - `connecting`: admitted, their device has not claimed its seat yet;
 * - `connected`: their device holds its media seat;
 * - `lost`: the media server saw their connection go without them leaving (a crashed browser,
 *   a dead network). They stay admitted: coming back within the meeting needs no new admission,
 *   unless they were asked to leave meanwhile (that spends the admission, as always).
 * Whether someone is *reconnecting* (their connection is up but not flowing) is the media
 * client's own knowledge and is shown by each page, never stored.
 */
export const MEDIA_CONNECTIONS = ['connecting', 'connected', 'lost'] as const;
export type MediaConnection = (typeof MEDIA_CONNECTIONS)[number];

const inRoom = (p: Participant) => PRESENCE[p.state] === 'media';

/**
 * The person's device claimed its seat: connected. Recorded once per admission and once per
 * return after a loss (then marked `back`); a repeat changes nothing.
 */
export function noteConnected(target: Participant, now: number): Outcome {
  if (!inRoom(target) || target.connection === 'connected') return accept();
  return accept({
    type: 'media.connected',
    at: now,
    participantId: target.id,
    ...(target.connection === 'lost' ? { back: true as const } : {}),
  });
}

/** The media server saw the person's connection go: lost (once; only while in the room). */
export function noteLost(target: Participant, now: number): Outcome {
  if (!inRoom(target) || target.connection === 'lost') return accept();
  return accept({ type: 'media.lost', at: now, participantId: target.id });
}

/**
 * A waiting page's live channel has been gone past the bound: its knock leaves the lobby, so
 * facilitators never admit a page nobody is looking at. `device` is the knocking session
 * (`null` for staff); a device that no longer knocks changes nothing.
 */
export function dropKnock(target: Participant, device: string | null, now: number): Outcome {
  const base = { type: 'participant.left', at: now, participantId: target.id } as const;
  if (target.state === 'waiting' && target.device === device) {
    return accept({ ...base, reason: 'lost' });
  }
  const knock = target.otherDevice;
  if (knock?.state === 'waiting' && knock.device === device) {
    return accept({ ...base, reason: 'lost', otherDevice: true });
  }
  return accept();
}
