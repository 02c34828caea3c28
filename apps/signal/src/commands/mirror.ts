import {
  clearWishes,
  mirrorMeeting,
  mirrorParticipant,
  type MeetingMirror,
  type ParticipantMirror,
  type Tx,
} from '@polyphony/db';
import type { MeetingEvent, MeetingState, Participant } from '@polyphony/domain';

const time = (at: number | undefined) => (at === undefined ? null : new Date(at));

/** Which timestamp column of its participant's row each event sets, if any. */
const STAMP = {
  'participant.invited': null,
  'participant.joined_lobby': 'lastKnockAt',
  'device.knocked': null,
  'admission.approved': null,
  'consent.given': null,
  'consent.withdrawn': null,
  'participant.admitted': 'admittedAt',
  'participant.declined': null,
  'participant.removed': null,
  'companions.changed': null,
  'mode.changed': null,
  'hand.raised': 'wishToRespondAt',
  'record.added': null,
  'meeting.started': null,
  'meeting.ended': null,
  'participant.left': 'leftAt',
  'settings.changed': null,
  'link.revoked': null,
  'media.displaced': null,
  'media.connected': null,
  'media.lost': null,
  'plan.changed': null,
} as const satisfies Record<
  MeetingEvent['type'],
  'lastKnockAt' | 'admittedAt' | 'wishToRespondAt' | 'leftAt' | null
>;

function stamps(event: MeetingEvent): ParticipantMirror {
  // A knock from another device leaving or being turned away is not the seat's row's news.
  if ('otherDevice' in event && event.otherDevice && event.type !== 'participant.admitted') {
    return {};
  }
  const column = STAMP[event.type];
  return column === null ? {} : { [column]: new Date(event.at) };
}

function rowOf(p: Participant): ParticipantMirror {
  return {
    state: p.state,
    admissionNumber: p.admissionNumber,
    companions: p.companions,
    facilitatorApprovedAt: time(p.facilitatorKey?.at),
    centreConsentedAt: time(p.consent?.at),
  };
}

function meetingChanges(before: MeetingState, after: MeetingState): MeetingMirror {
  return {
    ...(before.mode !== after.mode ? { mode: after.mode } : {}),
    ...(before.settings !== after.settings ? { settings: after.settings } : {}),
    ...(before.status !== after.status && after.status !== 'scheduled'
      ? { state: after.status }
      : {}),
    ...(before.startedAt === null && after.startedAt !== null
      ? { startedAt: new Date(after.startedAt) }
      : {}),
    ...(before.endedAt === null && after.endedAt !== null
      ? { endedAt: new Date(after.endedAt) }
      : {}),
  };
}

/**
 * Writes what the events changed to the rows that mirror the log (participants, meetings), in
 * the transaction that appends the events. The log stays the truth; the rows serve queries
 * (lobby lists, head-counts, dashboards) without a replay.
 */
export async function mirrorState(
  tx: Tx,
  meetingId: string,
  before: MeetingState,
  after: MeetingState,
  events: readonly MeetingEvent[],
): Promise<void> {
  if (events.length === 0) return;
  const at = new Date(events[events.length - 1]!.at);
  const extra = new Map<string, ParticipantMirror>();
  for (const e of events) {
    if ('participantId' in e) {
      extra.set(e.participantId, { ...extra.get(e.participantId), ...stamps(e) });
    }
  }
  const ended = events.find((e) => e.type === 'meeting.ended');
  if (events.some((e) => e.type === 'mode.changed')) await clearWishes(tx, meetingId);
  for (const p of after.participants) {
    const unchanged = before.participants.find((b) => b.id === p.id) === p;
    if (unchanged && !extra.has(p.id)) continue;
    const leftByEnd = ended && p.state === 'left' ? { leftAt: new Date(ended.at) } : {};
    await mirrorParticipant(
      tx,
      meetingId,
      p.id,
      { ...rowOf(p), ...leftByEnd, ...extra.get(p.id) },
      at,
    );
  }
  await mirrorMeeting(tx, meetingId, meetingChanges(before, after));
}
