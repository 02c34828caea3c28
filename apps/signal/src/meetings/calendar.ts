/** Default length of a calendar entry when nothing else is known. */
export const DEFAULT_MEETING_MINUTES = 60;

function icsTime(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/**
 * An iCalendar (RFC 5545) file for a scheduled meeting. The summary names no one: calendar
 * entries travel to phones, shared calendars and mail servers outside the service.
 */
export function meetingCalendar(input: {
  readonly meetingId: string;
  readonly startsAt: number;
  readonly now: number;
  readonly host: string;
  readonly minutes?: number;
}): string {
  const minutes = input.minutes ?? DEFAULT_MEETING_MINUTES;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Polyphony//Network meetings//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${input.meetingId}@${input.host}`,
    `DTSTAMP:${icsTime(input.now)}`,
    `DTSTART:${icsTime(input.startsAt)}`,
    `DTEND:${icsTime(input.startsAt + minutes * 60_000)}`,
    'SUMMARY:Network meeting',
    'DESCRIPTION:Open your personal link to join. Nothing is recorded.',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.join('\r\n')}\r\n`;
}
