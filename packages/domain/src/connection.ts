import { accept, type Outcome } from './outcome.ts';
import type { MeetingState, Participant } from './meeting-state.ts';
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

/** A device's live channel as last seen (times in epoch ms); see the signal's `live_channels`. */
export interface ChannelSighting {
  readonly seenAt: number;
  readonly closedAt: number | null;
}

/**
 * How long a waiting page's live channel may be gone before its knock leaves the lobby:
 * `closedMs` after it closed (a reload reconnects well within it), `staleMs` after it was last
 * seen without a close (the node serving it died; live channels refresh on every heartbeat, so
 * this must exceed the heartbeat interval).
 */
export interface ChannelBounds {
  readonly closedMs: number;
  readonly staleMs: number;
}

/**
 * Is this channel gone past the bound? A knock whose page never opened a channel (nothing
 * sighted) is not judged: the server cannot tell, and leaves it to the facilitators.
 */
export function isChannelGone(
  sighting: ChannelSighting | undefined,
  now: number,
  bounds: ChannelBounds,
): boolean {
  if (sighting === undefined) return false;
  if (sighting.closedAt !== null) return now - sighting.closedAt >= bounds.closedMs;
  return now - sighting.seenAt >= bounds.staleMs;
}

/** A knock waiting in the lobby: the person and the device knocking (`null`: staff). */
export interface WaitingKnock {
  readonly participantId: string;
  readonly device: string | null;
}

/** Every knock waiting in the lobby, including knocks from another device beside a seat. */
export function waitingKnocks(state: MeetingState): readonly WaitingKnock[] {
  return state.participants.flatMap((p): WaitingKnock[] => {
    if (p.state === 'waiting') return [{ participantId: p.id, device: p.device }];
    if (p.otherDevice?.state === 'waiting') {
      return [{ participantId: p.id, device: p.otherDevice.device }];
    }
    return [];
  });
}
