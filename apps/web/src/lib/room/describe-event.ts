import type { MeetingEventType, RecordKind } from '@polyphony/domain';
import type { WireEventOf } from '@polyphony/protocol';
import { m } from '$lib/paraglide/messages.js';
import { ROLE_LABEL } from '$lib/i18n/labels.ts';
import type { TimelineFacts } from './timeline-events.ts';

/** A name for a participant id; anyone the timeline may not name (or staff) is "someone". */
export type NameOf = (participantId: string | undefined) => string;

/** What was added to the record, in words ("a decision"). */
export const RECORD_KIND_NOUN = {
  decision: () => m.timeline_kind_decision(),
  next_step: () => m.timeline_kind_next_step(),
  open_question: () => m.timeline_kind_open_question(),
  next_meeting: () => m.timeline_kind_next_meeting(),
} as const satisfies Record<RecordKind, () => string>;

/** Each event type's sentence, given that event's facts. */
type Describers = { [T in MeetingEventType]: (e: WireEventOf<T>, name: NameOf) => string };

/**
 * Every event of the meeting's log in plain words, in the reader's language. Exhaustive: a new
 * event type fails compilation until it has its sentence.
 */
const DESCRIBE = {
  'participant.invited': (e, name) =>
    m.timeline_invited({
      name: name(e.participantId),
      role: ROLE_LABEL[e.role](),
    }),
  'participant.joined_lobby': (e, name) => m.timeline_joined_lobby({ name: name(e.participantId) }),
  'device.knocked': (e, name) => m.timeline_device_knocked({ name: name(e.participantId) }),
  'admission.approved': (e, name) =>
    m.timeline_admission_approved({ by: name(e.by), name: name(e.participantId) }),
  'consent.given': (e, name) =>
    e.kind === 'pre_approval'
      ? m.timeline_consent_in_advance({ name: name(e.participantId) })
      : m.timeline_consent_given({ by: name(e.by), name: name(e.participantId) }),
  'consent.withdrawn': (e, name) =>
    m.timeline_consent_withdrawn({ by: name(e.by), name: name(e.participantId) }),
  'participant.admitted': (e, name) =>
    e.otherDevice
      ? m.timeline_admitted_other_device({ name: name(e.participantId) })
      : m.timeline_admitted({ name: name(e.participantId) }),
  'participant.declined': (e, name) =>
    e.otherDevice
      ? m.timeline_declined_other_device({ name: name(e.participantId) })
      : m.timeline_declined({ name: name(e.participantId) }),
  'participant.removed': (e, name) =>
    e.reason === 'sound_under_picture_label'
      ? m.timeline_removed_forged_sound({ name: name(e.participantId) })
      : e.reason === 'forged_track'
        ? m.timeline_removed_forged_track({ name: name(e.participantId) })
        : m.timeline_removed({ by: name(e.by), name: name(e.participantId) }),
  'companions.changed': (e, name) =>
    m.timeline_companions_changed({
      name: name(e.participantId),
      companions: e.added.join(', ') || m.timeline_nobody(),
    }),
  'mode.changed': (e, name) =>
    e.mode === 'reflecting'
      ? m.timeline_reflection_started({ by: name(e.by) })
      : m.timeline_dialogue_resumed({ by: name(e.by) }),
  'hand.raised': (e, name) => m.timeline_hand_raised({ name: name(e.participantId) }),
  'record.added': (e, name) =>
    m.timeline_record_added({
      by: name(e.by),
      what: RECORD_KIND_NOUN[e.kind](),
    }),
  'meeting.started': () => m.timeline_meeting_started(),
  'meeting.ended': (e, name) =>
    e.reason === 'idle'
      ? m.timeline_meeting_ended_idle()
      : m.timeline_meeting_ended({ by: name(e.by) }),
  'participant.left': (e, name) =>
    e.otherDevice
      ? m.timeline_left_other_device({ name: name(e.participantId) })
      : e.reason === 'link_revoked'
        ? m.timeline_left_link_revoked({ name: name(e.participantId) })
        : e.reason === 'lost'
          ? m.timeline_left_lost({ name: name(e.participantId) })
          : m.timeline_left({ name: name(e.participantId) }),
  'settings.changed': (e, name) =>
    e.settings.endToEndEncrypted
      ? m.timeline_settings_changed({ by: name(e.by) })
      : m.timeline_settings_encryption_off({ by: name(e.by) }),
  'link.revoked': (e, name) => m.timeline_link_revoked({ name: name(e.participantId) }),
  'media.displaced': (e, name) => m.timeline_media_displaced({ name: name(e.participantId) }),
  // Only a return after a loss reaches the timeline (see `timelineItem`).
  'media.connected': (e, name) => m.timeline_media_back({ name: name(e.participantId) }),
  'media.lost': (e, name) => m.timeline_media_lost({ name: name(e.participantId) }),
  'plan.changed': (e, name) => m.timeline_plan_changed({ name: name(e.participantId) }),
} as const satisfies Describers;

/** One timeline line in words, e.g. "Dr Lee started a reflection". */
export function describeEvent(facts: TimelineFacts, name: NameOf): string {
  return describeOne(facts, name);
}

function describeOne<T extends MeetingEventType>(facts: WireEventOf<T>, name: NameOf): string {
  const describers: Describers = DESCRIBE;
  return describers[facts.type as T](facts, name);
}
