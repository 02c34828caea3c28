import nodemailer from 'nodemailer';
import type { MailConfig } from '../config.ts';

/** One message for one recipient; text only (no tracking, no remote images). */
export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /** An iCalendar file to attach (a scheduled meeting's calendar entry). */
  readonly calendar?: string;
}

/** Sends mail through the operator's SMTP relay (nodemailer, ADR 0015). */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** A mailer for the configured relay. Nothing about a message is logged. */
export function createMailer(config: MailConfig): Mailer {
  const transport = nodemailer.createTransport(config.smtpUrl);
  return {
    async send(mail) {
      await transport.sendMail({
        from: config.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.calendar
          ? { icalEvent: { method: 'PUBLISH', filename: 'meeting.ics', content: mail.calendar } }
          : {}),
      });
    },
    close() {
      transport.close();
    },
  };
}
