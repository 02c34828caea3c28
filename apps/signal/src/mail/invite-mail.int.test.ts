import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { testDatabaseTargets } from '@polyphony/db/testing';
import { freePort } from '@polyphony/stack';
import type {
  CreatedInvite,
  CreateMeetingResponse,
  NetworkDetail,
  NetworkMember,
} from '@polyphony/protocol';
import { StaffClient } from '../testing/staff-client.ts';
import { addStaff, setUp } from '../testing/staff-fixture.ts';
import { useTestApp } from '../testing/use-test-app.ts';

const T0 = Date.UTC(2026, 4, 4, 7, 0, 0);
const TEAM = 'Lapland Open Dialogue team';

/** A real SMTP server in this process: what arrives is parsed as a mail client would. */
function startSmtp(port: number) {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('refused')) return callback(new Error('mailbox unavailable'));
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push(mail);
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  return {
    received,
    listen: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// Sending a personal link by e-mail (issue 13): through a real SMTP relay, the message names the
// team, the time and the link and nothing clinical; the link in it works; the address and the
// message never reach the logs.
describe.each(testDatabaseTargets())('links sent by e-mail on $name', (target) => {
  let smtpPort = 0;
  let smtp: ReturnType<typeof startSmtp>;
  beforeAll(async () => {
    smtpPort = await freePort();
    smtp = startSmtp(smtpPort);
    await smtp.listen();
  });
  afterAll(() => smtp?.close());

  const t = useTestApp(target, {
    now: () => T0,
    config: {
      mail: {
        get smtpUrl() {
          return `smtp://127.0.0.1:${smtpPort}`;
        },
        from: 'Polyphony <meetings@example.org>',
        timeZone: 'Europe/Helsinki',
      },
    },
  });
  let lee: StaffClient;
  let meetingId: string;
  let dad: NetworkMember;

  beforeAll(async () => {
    const { admin } = await setUp(t.app);
    const a = await addStaff(t.app, admin, 'clinician', 'Dr Lee');
    lee = a.client;
    const network = (
      await lee.call<NetworkDetail>('POST', '/api/networks', {
        label: 'Virtanen family crisis',
        firstContactAt: new Date(T0 - 3_600_000).toISOString(),
        coreTeamStaffIds: [a.member.id],
      })
    ).body;
    dad = (
      await lee.call<NetworkMember>('POST', `/api/networks/${network.id}/members`, {
        name: 'Matti Virtanen',
        relationship: 'father',
        isCentre: false,
      })
    ).body;
    const created = await lee.call<CreateMeetingResponse>(
      'POST',
      `/api/networks/${network.id}/meetings`,
      { kind: 'scheduled', scheduledAt: new Date(T0 + 2 * 86_400_000).toISOString() },
    );
    meetingId = created.body.meeting.meeting.id;
    expect(created.body.meeting.canEmailLinks).toBe(true);
  });

  let last: CreatedInvite | null = null;
  afterEach(async () => {
    if (last) await revoke(last.invite.id);
    last = null;
  });
  const newLink = async () => {
    const made = await lee.call<CreatedInvite>('POST', `/api/meetings/${meetingId}/invites`, {
      memberId: dad.id,
    });
    expect(made.status).toBe(201);
    last = made.body;
    return made.body;
  };
  const send = (inviteId: string, body: Record<string, unknown>) =>
    lee.call('POST', `/api/meetings/${meetingId}/invites/${inviteId}/email`, body);
  const revoke = (inviteId: string) =>
    lee.call('DELETE', `/api/meetings/${meetingId}/invites/${inviteId}`);

  it('arrives with the team, the time, the link and a calendar entry, nothing clinical, and works', async () => {
    const link = await newLink();
    const before = smtp.received.length;
    const answer = await send(link.invite.id, { to: 'family@example.org', token: link.token });
    expect(answer.status).toBe(200);
    expect(smtp.received.length).toBe(before + 1);
    const mail = smtp.received.at(-1)!;
    const text = mail.text ?? '';
    expect(mail.subject).toContain(TEAM);
    expect(text).toContain(TEAM);
    expect(text).toContain(link.url);
    expect(text).toContain('6 May 2026 at 10:00 (Europe/Helsinki)'); // in the team's time zone
    expect(text).toContain('Nothing is recorded.');
    // No names, no network, nothing about why they meet.
    for (const secret of ['Matti', 'Virtanen', 'crisis', 'father', 'Dr Lee']) {
      expect(text + mail.subject, secret).not.toContain(secret);
    }
    const calendar = mail.attachments.find((a) => a.contentType.startsWith('text/calendar'));
    expect(calendar?.content.toString()).toContain('DTSTART:20260506T070000Z');
    // The link in the mail opens the pre-join page.
    const url = new URL(/https?:\/\/\S+\/join\/\S+/.exec(text)![0]);
    const opened = await fetch(`${t.baseUrl}/api/invites/${url.pathname.split('/').at(-1)}`);
    expect(opened.status).toBe(200);
    // The address and the message stay out of the logs.
    expect(t.logs.join('\n')).not.toContain('family@example.org');
    expect(t.logs.join('\n')).not.toContain(link.token);
  });

  it('refuses a token that is not this link’s, a revoked link, and a bad address; sends nothing', async () => {
    const link = await newLink();
    const other = smtp.received.length;
    const wrong = await send(link.invite.id, { to: 'family@example.org', token: 'x'.repeat(43) });
    expect(wrong.status).toBe(404);
    expect(wrong.body).toMatchObject({ error: { code: 'LINK_INVALID' } });
    for (const to of ['family', 'a@b', 'x@y.z\r\nBcc: evil@example.org', 'a b@example.org']) {
      const bad = await send(link.invite.id, { to, token: link.token });
      expect(bad.status, to).toBe(400);
    }
    await revoke(link.invite.id);
    const revoked = await send(link.invite.id, { to: 'family@example.org', token: link.token });
    expect(revoked.status).toBe(404);
    expect(smtp.received.length).toBe(other);
  });

  it('says so when the relay refuses, without logging the address', async () => {
    const link = await newLink();
    const answer = await send(link.invite.id, { to: 'refused@example.org', token: link.token });
    expect(answer.status).toBe(502);
    expect(answer.body).toMatchObject({ error: { code: 'MAIL_FAILED' } });
    expect(t.logs.join('\n')).not.toContain('refused@example.org');
  });
});

describe.each(testDatabaseTargets())('without a mail relay on $name', (target) => {
  const t = useTestApp(target, { now: () => T0 });

  it('offers no e-mail and refuses to send with a coded answer', async () => {
    const { admin: lee, me } = await setUp(t.app);
    const network = (
      await lee.call<NetworkDetail>('POST', '/api/networks', {
        label: 'N',
        firstContactAt: new Date(T0 - 3_600_000).toISOString(),
        coreTeamStaffIds: [me.staff.id],
      })
    ).body;
    const member = (
      await lee.call<NetworkMember>('POST', `/api/networks/${network.id}/members`, {
        name: 'M',
        relationship: '',
        isCentre: false,
      })
    ).body;
    const created = await lee.call<CreateMeetingResponse>(
      'POST',
      `/api/networks/${network.id}/meetings`,
      { kind: 'immediate' },
    );
    const id = created.body.meeting.meeting.id;
    expect(created.body.meeting.canEmailLinks).toBe(false);
    const link = (
      await lee.call<CreatedInvite>('POST', `/api/meetings/${id}/invites`, { memberId: member.id })
    ).body;
    const answer = await lee.call('POST', `/api/meetings/${id}/invites/${link.invite.id}/email`, {
      to: 'family@example.org',
      token: link.token,
    });
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ error: { code: 'MAIL_NOT_CONFIGURED' } });
  });
});
