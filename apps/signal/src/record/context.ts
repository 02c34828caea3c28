import { coreTeamNames, findMeetingHost, meetingRetentionFacts, type Db } from '@polyphony/db';
import { recordReadableUntil } from '@polyphony/domain';
import type { RecordReader } from './reader.ts';
import type { RecordContext } from './views.ts';

/**
 * What the record says besides its entries: the organisation and care team to reach, and until
 * when this reader can read it (the domain's `recordReadableUntil`, from the retention facts).
 */
export async function recordContext(
  db: Db,
  reader: RecordReader,
  retentionMs: number,
): Promise<RecordContext> {
  const meetingId = reader.meeting.id;
  const [host, facts] = await Promise.all([
    findMeetingHost(db, meetingId),
    meetingRetentionFacts(db, meetingId),
  ]);
  const team = host ? await coreTeamNames(db, host.networkId) : [];
  const kind =
    reader.linkExpiresAt !== null
      ? ({ kind: 'link', linkExpiresAt: reader.linkExpiresAt.getTime() } as const)
      : ({ kind: 'staff' } as const);
  return {
    organisation: {
      name: host?.organisationName ?? '',
      contact: host?.organisationContact ?? null,
    },
    team: team.map((displayName) => ({ displayName })),
    readableUntil: facts ? recordReadableUntil(facts, kind, retentionMs) : null,
  };
}
