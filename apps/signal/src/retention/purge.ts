import {
  episodeCandidates,
  purgeEpisodeMembers,
  purgeSetupLinks,
  purgeExpiredStaffSessions,
  purgeMeeting,
  purgeProcessedWebhooks,
  retentionCandidates,
  type Db,
} from '@polyphony/db';
import {
  isDueForPurge,
  isEpisodeDueForPurge,
  type EpisodeFacts,
  type MeetingRetentionFacts,
} from '@polyphony/domain';

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
  /** Closed care episodes whose members were removed. */
  readonly episodesPurged: number;
  readonly staffSessions: number;
  /** One-time password setup links used or expired more than the retention period ago. */
  readonly setupLinks: number;
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
  const episodesPurged = await purgeEpisodes(db, policy, now, onMeetingError);
  const staffSessions = await purgeExpiredStaffSessions(db, new Date(now));
  const setupLinks = await purgeSetupLinks(db, new Date(now - policy.retentionMs));
  const webhookIds = await purgeProcessedWebhooks(db, new Date(now - policy.retentionMs));
  return {
    meetingsPurged,
    meetingsDeleted,
    meetingsFailed,
    episodesPurged,
    staffSessions,
    setupLinks,
    webhookIds,
  };
}

/**
 * Closed care episodes the domain says are due (`isEpisodeDueForPurge`): each one's members
 * removed in its own transaction under the network's lock, the rule asked again there.
 */
async function purgeEpisodes(
  db: Db,
  policy: PurgePolicy,
  now: number,
  onError: (err: unknown) => void,
): Promise<number> {
  const stillDue = (facts: EpisodeFacts) => isEpisodeDueForPurge(facts, now, policy.retentionMs);
  const candidates = await episodeCandidates(db, new Date(now - policy.retentionMs));
  let purged = 0;
  for (const { networkId } of candidates
    .filter((c) => stillDue(c.facts))
    .slice(0, policy.batchSize)) {
    try {
      if ((await purgeEpisodeMembers(db, networkId, new Date(now), stillDue)) !== null) purged += 1;
    } catch (err) {
      onError(err);
    }
  }
  return purged;
}
