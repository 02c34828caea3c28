import { describe, expect, it } from 'vitest';
import { meetingCalendar } from './calendar.ts';

describe('meetingCalendar', () => {
  const ics = meetingCalendar({
    meetingId: 'abc',
    startsAt: Date.UTC(2026, 2, 4, 14, 30),
    now: Date.UTC(2026, 2, 1, 9, 0, 5, 123),
    host: 'meet.example.org',
  });

  it('is one VEVENT with UTC times, an hour long by default, CRLF line endings', () => {
    expect(ics.split('\r\n')).toEqual([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Polyphony//Network meetings//EN',
      'CALSCALE:GREGORIAN',
      'METHOD:PUBLISH',
      'BEGIN:VEVENT',
      'UID:abc@meet.example.org',
      'DTSTAMP:20260301T090005Z',
      'DTSTART:20260304T143000Z',
      'DTEND:20260304T153000Z',
      'SUMMARY:Network meeting',
      'DESCRIPTION:Open your personal link to join. Nothing is recorded.',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ]);
    expect(ics.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('takes another length', () => {
    const longer = meetingCalendar({ meetingId: 'x', startsAt: 0, now: 0, host: 'h', minutes: 90 });
    expect(longer).toContain('DTEND:19700101T013000Z');
  });
});
