import type { Mode } from '@polyphony/domain';
import type { LiveSnapshot, MediaAccess, RosterEntry, ServerMessage } from '@polyphony/protocol';
import { decodeRoomEvent } from './live-messages.ts';

/** What the room knows from the live channel. */
export interface LiveState {
  readonly seq: number;
  readonly meetingId: string;
  readonly mode: Mode;
  readonly me: RosterEntry;
  /** Everyone else on the roster (never includes `me`). */
  readonly others: readonly RosterEntry[];
  readonly media: MediaAccess | null;
}

export type ApplyOutcome =
  | { readonly kind: 'applied'; readonly state: LiveState }
  /** Already seen (a resume may repeat events): nothing changes. */
  | { readonly kind: 'duplicate' }
  /** Events are missing, or an event came before any snapshot: resume from `seq`. */
  | { readonly kind: 'gap' }
  /** The roster changed in a way only a fresh snapshot can show (e.g. a new admission). */
  | { readonly kind: 'resync' };

function fromSnapshot(snapshot: LiveSnapshot): LiveState {
  return {
    seq: snapshot.seq,
    meetingId: snapshot.meeting.id,
    mode: snapshot.meeting.mode,
    me: snapshot.me,
    others: snapshot.participants.filter((p) => p.participantId !== snapshot.me.participantId),
    media: snapshot.media,
  };
}

/** Pure reducer of the live channel: the next state after one validated server message. */
export function applyServerMessage(state: LiveState | null, message: ServerMessage): ApplyOutcome {
  switch (message.type) {
    case 'snapshot':
      return { kind: 'applied', state: fromSnapshot(message) };
    case 'media':
      if (state === null) return { kind: 'gap' };
      return { kind: 'applied', state: { ...state, media: message.media } };
    case 'event': {
      if (state === null) return { kind: 'gap' };
      if (message.seq <= state.seq) return { kind: 'duplicate' };
      if (message.seq > state.seq + 1) return { kind: 'gap' };
      const next: LiveState = { ...state, seq: message.seq };
      const event = decodeRoomEvent(message.event);
      if (event === null) return { kind: 'applied', state: next };
      switch (event.type) {
        case 'mode.changed':
          return { kind: 'applied', state: { ...next, mode: event.mode } };
        case 'participant.admitted':
        case 'companions.changed':
          return { kind: 'resync' };
        case 'participant.left':
        case 'participant.removed':
        case 'participant.declined':
          return {
            kind: 'applied',
            state: {
              ...next,
              others: state.others.filter((p) => p.participantId !== event.participantId),
            },
          };
      }
    }
  }
}
