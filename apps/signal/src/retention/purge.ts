import {
  purgeExpiredStaffSessions,
  purgeMeeting,
  purgeProcessedWebhooks,
  retentionCandidates,
  type Db,
} from '@polyphony/db';
import { isDueForPurge, type MeetingRetentionFacts } from '@polyphony/domain';

export interface PurgePolicy {
  /** How long a meeting's personal data is kept after it closed (`RETENTION_DAYS`). */
  readonly retentionMs: number;
  /** At most this many meetings per run; the rest wait for the next run. */
  readonly batchSize: number;
}

/** What one run removed: counts only, never who or which. */
export interface PurgeReport {
  /** Held meetings emptied (their row stays as the dashboard's summary). */
  readonly meetingsPurged: number;
  /** Meetings never held, deleted. */
  readonly meetingsDeleted: number;
  /** Meetings whose purge failed (left as they were, tried again next run). */
  readonly meetingsFailed: number;
  readonly staffSessions: number;
  readonly webhookIds: number;
}

/**
 * One retention run at `now`: the meetings the domain says are due (`isDueForPurge`), oldest
 * first and at most `batchSize`, each purged in its own transaction that asks the rule again
 * under the meeting's lock; then expired staff sessions and webhook ids older than retention.
 * `onMeetingError` hears about a meeting whose purge failed; the run goes on with the others.
 */
export async function purgeOnce(
  db: Db,
  policy: PurgePolicy,
  now: number,
  onMeetingError: (err: unknown) => void,
): Promise<PurgeReport> {
  const stillDue = (facts: MeetingRetentionFacts) => isDueForPurge(facts, now, policy.retentionMs);
  const candidates = await retentionCandidates(db, new Date(now - policy.retentionMs));
  const due = candidates.filter((c) => stillDue(c.facts)).slice(0, policy.batchSize);
  let meetingsPurged = 0;
  let meetingsDeleted = 0;
  let meetingsFailed = 0;
  for (const { meetingId } of due) {
    try {
      const outcome = await purgeMeeting(db, meetingId, new Date(now), stillDue);
      if (outcome === 'purged') meetingsPurged += 1;
      if (outcome === 'deleted') meetingsDeleted += 1;
    } catch (err) {
      meetingsFailed += 1;
      onMeetingError(err);
    }
  }
  const staffSessions = await purgeExpiredStaffSessions(db, new Date(now));
  const webhookIds = await purgeProcessedWebhooks(db, new Date(now - policy.retentionMs));
  return { meetingsPurged, meetingsDeleted, meetingsFailed, staffSessions, webhookIds };
}
