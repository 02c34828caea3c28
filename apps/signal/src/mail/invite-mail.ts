import type { OutgoingMail } from './mailer.ts';

/** What an invitation may say: the team, the time and the link. Nothing clinical, no names. */
export interface InviteMailInput {
  readonly to: string;
  /** The organisation (team) that invites, e.g. "Keski-Uusimaa Open Dialogue team". */
  readonly team: string;
  readonly url: string;
  /** The scheduled start (epoch ms); null for a meeting that is on now. */
  readonly startsAt: number | null;
  readonly timeZone: string;
  /** The meeting's calendar entry, for a scheduled meeting. */
  readonly calendar: string | null;
}

function when(startsAt: number, timeZone: string, locale: string): string {
  const time = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'full', timeStyle: 'short' });
  return `${time.format(new Date(startsAt))} (${timeZone})`;
}

/**
 * The invitation, in English and Finnish (the service's two languages), as plain text. It names
 * the team, the time and the link, and nothing about the person, their network or why they
 * meet: mail passes through servers and shared inboxes outside the service.
 */
export function inviteMail(input: InviteMailInput): OutgoingMail {
  const en =
    input.startsAt === null
      ? `${input.team} invites you to a video meeting that is on now.`
      : `${input.team} invites you to a video meeting on ${when(input.startsAt, input.timeZone, 'en-GB')}.`;
  const fi =
    input.startsAt === null
      ? `${input.team} kutsuu sinut videotapaamiseen, joka on käynnissä nyt.`
      : `${input.team} kutsuu sinut videotapaamiseen ${when(input.startsAt, input.timeZone, 'fi-FI')}.`;
  const text = [
    en,
    '',
    'Your personal link:',
    input.url,
    '',
    'Open it on the phone or computer you will use. It is yours alone: please do not forward it.',
    'Nothing is recorded.',
    '',
    '—',
    '',
    fi,
    '',
    'Henkilökohtainen linkkisi:',
    input.url,
    '',
    'Avaa se puhelimella tai tietokoneella, jota käytät. Linkki on vain sinulle: älä välitä sitä eteenpäin.',
    'Mitään ei tallenneta.',
    '',
  ].join('\n');
  return {
    to: input.to,
    subject: `${input.team}: your meeting link / tapaamislinkkisi`,
    text,
    ...(input.calendar ? { calendar: input.calendar } : {}),
  };
}
