/** Where a participant stands in admission (product.md section 4). */
export const PARTICIPANT_STATES = [
  'invited',
  'waiting',
  'admitted',
  'stepped_out',
  'declined',
  'left',
] as const;
export type ParticipantState = (typeof PARTICIPANT_STATES)[number];

/**
 * Where a participant is, seen from the meeting: `away` (not connected), `lobby` (waiting room,
 * no media) or `media` (admitted to the room).
 */
export type Presence = 'away' | 'lobby' | 'media';

/**
 * Presence per state. `stepped_out` is the lobby after being asked to leave; `declined` is away
 * (the person sees a kind "not now" page and may knock again later).
 */
export const PRESENCE = {
  invited: 'away',
  waiting: 'lobby',
  admitted: 'media',
  stepped_out: 'lobby',
  declined: 'away',
  left: 'away',
} as const satisfies Record<ParticipantState, Presence>;
