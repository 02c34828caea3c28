import type { ImmediateHelp, StaffRole } from '@polyphony/domain';
import type { MeetingLifecycle } from '@polyphony/protocol';
import { m } from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime.js';
import { durationParts } from './figures.ts';

/** UI text for every staff role; a new role fails compilation until it has a label. */
export const STAFF_ROLE_LABEL = {
  clinician: () => m.staff_role_clinician(),
  peer_worker: () => m.staff_role_peer_worker(),
  admin: () => m.staff_role_admin(),
} as const satisfies Record<StaffRole, () => string>;

/** A meeting's lifecycle in words. */
export const MEETING_STATE_LABEL = {
  scheduled: () => m.meeting_admin_state_scheduled(),
  live: () => m.meeting_admin_state_live(),
  ended: () => m.meeting_admin_state_ended(),
} as const satisfies Record<MeetingLifecycle, () => string>;

/** The 24-hour goal in words (used as an accessible summary beside the figure). */
export const IMMEDIATE_HELP_LABEL = {
  within_24h: () => m.dashboard_help_within_24h(),
  after_24h: () => m.dashboard_help_after_24h(),
  waiting: () => m.dashboard_help_waiting(),
  overdue: () => m.dashboard_help_overdue(),
} as const satisfies Record<ImmediateHelp, () => string>;

/** `3 h 20 min`, `45 min`. */
export function durationText(totalMinutes: number): string {
  const { hours, minutes } = durationParts(totalMinutes);
  return hours === 0
    ? m.staff_duration_minutes({ minutes: String(minutes) })
    : m.staff_duration_hours_minutes({ hours: String(hours), minutes: String(minutes) });
}

/** A date and time in the reader's language and time zone. */
export function dateTimeText(iso: string): string {
  return new Intl.DateTimeFormat(getLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(iso),
  );
}
