import { participantPlan, setParticipantPlan, type Tx } from '@polyphony/db';
import { normaliseCutoffPlan, samePlan, type CutoffPlan } from '@polyphony/domain';
import type { CutoffPlanInput } from '@polyphony/protocol';
import { AppError } from '../../app-error.ts';

/**
 * A plan as typed, cleaned by the domain's rule (null: no plan). The schema bounds each field;
 * a field still past its bound after cleaning cannot happen, but is refused, never cut.
 */
export function cleanPlan(input: CutoffPlanInput): CutoffPlan | null {
  const plan = normaliseCutoffPlan(input);
  if (plan === 'invalid') throw new AppError('INVALID_INPUT', 'The plan is too long.');
  return plan;
}

/**
 * Writes a participant's new plan in the command's transaction; true when it changed (then the
 * caller says so with `update_own_plan`, whose refusal rolls the write back). The text goes to
 * the row only: never to the log, never to a log line.
 */
export async function writePlan(
  tx: Tx,
  meetingId: string,
  participantId: string,
  plan: CutoffPlan | null,
  at: Date,
): Promise<boolean> {
  if (samePlan(await participantPlan(tx, meetingId, participantId), plan)) return false;
  await setParticipantPlan(tx, meetingId, participantId, plan, at);
  return true;
}
