import { Type, type Static, type TProperties } from 'typebox';
import {
  completeSettings,
  RECORD_KINDS,
  SERVER_REMOVAL_REASONS,
  type MeetingEvent,
  type MeetingEventType,
} from '@polyphony/domain';
import { MeetingRoleSchema, ModeSchema } from './common.ts';

// The meeting log's events as they travel on the live channel: the domain's `MeetingEvent`
// without its time (the frame carries `at`) and without the guest session that knocked
// (`device`, which stays on the server), plus the participant who caused it, when one did.
// `live-events.test.ts` holds every schema here equal to its domain event, in both directions.

const Id = Type.String();
const Names = Type.Array(Type.String());
const Companion = Type.Object({ name: Type.String(), agreed: Type.Boolean() });
const OtherDevice = { otherDevice: Type.Optional(Type.Literal(true)) };

/** One event's schema: its type tag, its facts, and the optional actor. */
function wire<T extends MeetingEventType, P extends TProperties>(type: T, properties: P) {
  return Type.Object({
    type: Type.Literal(type),
    ...properties,
    /** The participant whose command caused the event, when a participant's did. */
    actorParticipantId: Type.Optional(Id),
  });
}

/** Every event type's wire schema; a missing or extra type is a compile error. */
export const WIRE_EVENTS = {
  'participant.invited': wire('participant.invited', {
    participantId: Id,
    role: MeetingRoleSchema,
    by: Id,
  }),
  'participant.joined_lobby': wire('participant.joined_lobby', {
    participantId: Id,
    companions: Type.Array(Companion),
    fromAnotherDevice: Type.Optional(Type.Literal(true)),
  }),
  'device.knocked': wire('device.knocked', {
    participantId: Id,
    companions: Type.Array(Companion),
  }),
  'admission.approved': wire('admission.approved', { participantId: Id, by: Id, ...OtherDevice }),
  'consent.given': wire('consent.given', {
    participantId: Id,
    by: Id,
    kind: Type.Union([Type.Literal('live'), Type.Literal('pre_approval')]),
    companions: Names,
    ...OtherDevice,
  }),
  'consent.withdrawn': wire('consent.withdrawn', { participantId: Id, by: Id }),
  'participant.admitted': wire('participant.admitted', {
    participantId: Id,
    admissionNumber: Type.Integer({ minimum: 1 }),
    basis: Type.Union([
      Type.Literal('core_team'),
      Type.Literal('facilitator'),
      Type.Literal('two_keys'),
      Type.Literal('no_centre_person'),
    ]),
    ...OtherDevice,
  }),
  'participant.declined': wire('participant.declined', {
    participantId: Id,
    by: Id,
    retryAt: Type.Number(),
    ...OtherDevice,
  }),
  'participant.removed': wire('participant.removed', {
    participantId: Id,
    by: Id,
    admissionNumber: Type.Integer({ minimum: 0 }),
    reason: Type.Optional(Type.Enum(SERVER_REMOVAL_REASONS)),
  }),
  'companions.changed': wire('companions.changed', {
    participantId: Id,
    companions: Type.Array(Companion),
    added: Names,
    removed: Names,
  }),
  'mode.changed': wire('mode.changed', { mode: ModeSchema, by: Id, respondOrder: Names }),
  'hand.raised': wire('hand.raised', { participantId: Id }),
  'record.added': wire('record.added', {
    entryId: Id,
    kind: Type.Enum(RECORD_KINDS),
    text: Type.String(),
    by: Id,
    who: Type.Optional(Type.String()),
    when: Type.Optional(Type.String()),
    meetingAt: Type.Optional(Type.Number()),
    corrects: Type.Optional(Id),
  }),
  'meeting.started': wire('meeting.started', { by: Id }),
  'meeting.ended': wire('meeting.ended', { by: Id, reason: Type.Optional(Type.Literal('idle')) }),
  'participant.left': wire('participant.left', {
    participantId: Id,
    reason: Type.Union([Type.Literal('left'), Type.Literal('link_revoked'), Type.Literal('lost')]),
    ...OtherDevice,
  }),
  'settings.changed': wire('settings.changed', {
    settings: Type.Object({
      networkCamerasInReflection: Type.Boolean(),
      endToEndEncrypted: Type.Boolean(),
    }),
    by: Id,
  }),
  'link.revoked': wire('link.revoked', { participantId: Id, by: Id }),
  'media.displaced': wire('media.displaced', { participantId: Id }),
  'media.connected': wire('media.connected', {
    participantId: Id,
    back: Type.Optional(Type.Literal(true)),
  }),
  'media.lost': wire('media.lost', { participantId: Id }),
  'plan.changed': wire('plan.changed', { participantId: Id }),
} as const satisfies { [K in MeetingEventType]: ReturnType<typeof wire<K, TProperties>> };

/** Any event of the meeting's log, as the live channel and the timeline carry it. */
export const WireMeetingEvent = Type.Union(
  Object.values(WIRE_EVENTS) as [(typeof WIRE_EVENTS)[MeetingEventType]],
);
export type WireMeetingEvent = Static<typeof WireMeetingEvent>;

/** The wire event of one type. */
export type WireEventOf<T extends MeetingEventType> = Extract<WireMeetingEvent, { type: T }>;

/**
 * A domain event as it goes on the wire: drops `at` and the knocking `device`, adds the actor.
 * The one place a domain event becomes a wire event (the signal's live channel and timeline).
 */
export function toWireEvent(
  event: MeetingEvent,
  actorParticipantId: string | null,
): WireMeetingEvent {
  const { at: _at, ...facts } = event;
  const { device: _device, ...rest } = { ...facts } as typeof facts & { device?: string };
  // A log written before a setting existed lacks it: the wire carries its default.
  if (rest.type === 'settings.changed') rest.settings = completeSettings(rest.settings);
  return (actorParticipantId ? { ...rest, actorParticipantId } : rest) as WireMeetingEvent;
}
