import { companionChanges, declareCompanions, normaliseCompanions } from './companions.ts';
import type { UpdateOwnCompanionsCommand } from './commands.ts';
import type { MeetingEvent } from './meeting-events.ts';
import type { MeetingState, Participant } from './meeting-state.ts';
import { accept, admitIfReady, type Outcome } from './outcome.ts';
import { reject } from './result.ts';

/**
 * A new declaration of who is physically present. Every change is announced; new names await
 * the centre person's agreement. In the lobby, dropping the last pending name may open the door.
 */
export function updateOwnCompanions(
  state: MeetingState,
  actor: Participant,
  command: UpdateOwnCompanionsCommand,
  now: number,
): Outcome {
  const names = normaliseCompanions(command.companions);
  if (names === null) return reject('INVALID_INPUT');
  const companions = declareCompanions(actor, names);
  const { added, removed } = companionChanges(actor.companions, companions);
  if (added.length === 0 && removed.length === 0) return accept();
  const changed: MeetingEvent = {
    type: 'companions.changed',
    at: now,
    participantId: actor.id,
    companions,
    added,
    removed,
  };
  return admitIfReady(state, [changed], actor.id, now);
}
