import type { Db, MeetingRow } from '@polyphony/db';
import {
  guestRecordRefusal,
  seenFromDevice,
  type MeetingState,
  type RecordRefusal,
} from '@polyphony/domain';
import { AppError } from '../app-error.ts';
import type { MeetingStates } from '../commands/meeting-states.ts';
import type { MeetingCaller } from '../plugins/actors.ts';
import { readableMeeting } from '../meetings/access.ts';

/** Someone allowed to read a meeting's record and log. */
export interface RecordReader {
  readonly meeting: MeetingRow;
  readonly state: MeetingState;
  /** The reader's participant id, or null for staff reading through the staff app. */
  readonly participantId: string | null;
  /** When the guest reader's own link expires; null for staff. */
  readonly linkExpiresAt: Date | null;
}

export interface ReaderDeps {
  readonly db: Db;
  readonly states: MeetingStates;
  readonly now: () => number;
}

const noMeeting = () => new AppError('NOT_FOUND', 'There is no such meeting.');

/** The coded answer to each of the domain's reasons a guest may not read the record. */
const REFUSALS: { readonly [R in RecordRefusal]: () => AppError } = {
  link_revoked: () => new AppError('LINK_REVOKED', 'This link is no longer valid.'),
  link_expired: () => new AppError('LINK_INVALID', 'This link has expired.'),
  moved_to_another_device: () =>
    new AppError('MOVED_TO_ANOTHER_DEVICE', 'You joined this meeting on another device.'),
  not_admitted: () =>
    new AppError('NOT_ADMITTED', 'The record is for the people who were in the room.'),
};

/**
 * Who may read the record and timeline of `meetingId`: a guest through their own link's session
 * while the link is neither revoked nor expired, if the domain lets them
 * (`mayReadMeetingLog`: in the room while it runs, let in at least once after it ended); or a
 * signed-in staff member of the meeting's organisation. Everyone else gets a coded refusal.
 */
export async function recordReader(caller: MeetingCaller, deps: ReaderDeps): Promise<RecordReader> {
  let refusal: AppError | null = null;
  const { guest, meetingId } = caller;
  if (guest) {
    const latest = await deps.states.latest(deps.db, meetingId);
    if (!latest) throw noMeeting();
    // While it runs, only the device holding the person's place reads (a knock from another
    // device is not in the room yet); after the end, any of their devices.
    const seen = seenFromDevice(latest.state, guest.participantId, guest.device);
    const why = guestRecordRefusal(
      {
        revokedAt: guest.linkRevokedAt?.getTime() ?? null,
        expiresAt: guest.linkExpiresAt?.getTime() ?? null,
      },
      seen,
      guest.participantId,
      deps.now(),
    );
    if (why === null) {
      return { ...latest, participantId: guest.participantId, linkExpiresAt: guest.linkExpiresAt };
    }
    refusal = REFUSALS[why]();
  }
  const session = caller.staff;
  if (session) {
    await readableMeeting(deps.db, session, meetingId);
    const latest = await deps.states.latest(deps.db, meetingId);
    if (!latest) throw noMeeting();
    return { ...latest, participantId: null, linkExpiresAt: null };
  }
  // The access hook let through only this meeting's guest or a signed-in staff member.
  throw refusal ?? new AppError('UNAUTHENTICATED', 'Please open your link again.');
}
