import { readMeetingView, type Db, type ParticipantRow } from '@polyphony/db';
import { mediaGrants, type MediaGrants } from '@polyphony/domain';
import type { LiveSnapshot, RosterEntry } from '@polyphony/protocol';

export interface SnapshotRead {
  /** The snapshot without media; media is added once a token is minted. */
  readonly snapshot: Omit<LiveSnapshot, 'media'>;
  /** What the permission policy grants this participant now, or null for no media. */
  readonly grants: MediaGrants | null;
  readonly admissionNumber: number;
}

function rosterEntry(p: ParticipantRow): RosterEntry {
  return {
    participantId: p.id,
    displayName: p.displayName,
    role: p.role,
    companions: p.companions.map((c) => c.name),
  };
}

/** The snapshot for one participant, or null when they are not in that meeting. */
export async function readSnapshot(
  db: Db,
  meetingId: string,
  participantId: string,
): Promise<SnapshotRead | null> {
  const view = await readMeetingView(db, meetingId, participantId);
  if (!view) return null;
  const { meeting, me, admitted } = view;
  return {
    snapshot: {
      type: 'snapshot',
      seq: meeting.lastSeq,
      meeting: { id: meeting.id, mode: meeting.mode, state: meeting.state },
      me: rosterEntry(me),
      participants: admitted.map(rosterEntry),
    },
    // Media exists only while the meeting is live; the policy decides the rest.
    grants:
      meeting.state === 'live'
        ? mediaGrants(me.role, meeting.mode, me.state, meeting.settings)
        : null,
    admissionNumber: me.admissionNumber,
  };
}
