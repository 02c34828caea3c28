import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startStack, writeToneWav, type Stack } from '@polyphony/stack';
import { axeFindings, blocking } from './axe.ts';
import { startSmtp, type TestSmtp } from './smtp.ts';
import { prepareTeam, signIn, startMeetingNow, type Team } from './staff-pages.ts';

// The links box on the staff meeting page, as a clinician uses it: a link sent by e-mail from the
// page arrives at a real SMTP server with the organisation and the link and nothing else, and
// opens the pre-join page; a link revoked is no longer offered for copying or sending.
describe('the staff meeting page’s fresh links', () => {
  let stack: Stack;
  let smtp: TestSmtp;
  let browser: Browser;
  let team: Team;
  let lee: Page;

  beforeAll(async () => {
    smtp = await startSmtp();
    stack = await startStack({
      web: true,
      cookieSecure: true,
      signalEnv: { SMTP_URL: smtp.url, MAIL_FROM: 'Polyphony <meetings@example.org>' },
    });
    team = await prepareTeam(stack.origin, [
      { name: 'Sam', relationship: 'self', isCentre: true },
      { name: 'Dad', relationship: 'father' },
    ]);
    browser = await launchChromium({ audioFile: writeToneWav({ frequency: 440 }) });
    ({ page: lee } = await signIn(browser, stack.origin, team.clinician));
    await startMeetingNow(lee, team.networkLabel);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await smtp?.close();
  });

  const freshLink = (name: string) =>
    lee.getByTestId('fresh-link').filter({
      has: lee.getByRole('textbox', { name: `Link for ${name}`, exact: true }),
    });

  it('sends Sam’s link by e-mail from the page: it arrives with the team and the link, nothing else, and opens the pre-join page', async () => {
    const sams = freshLink('Sam');
    await sams.waitFor({ timeout: 20_000 });
    const url = await sams.getByRole('textbox', { name: 'Link for Sam', exact: true }).inputValue();
    await sams.getByLabel('Or send it by e-mail to').fill('sam.family@example.org');
    await sams.getByRole('button', { name: 'Send' }).click();
    await expect
      .poll(() => sams.getByTestId('email-link-status').textContent(), { timeout: 30_000 })
      .toContain('Sent to sam.family@example.org');
    expect(await sams.getByLabel('Or send it by e-mail to').inputValue()).toBe('');
    expect(blocking(await axeFindings(lee))).toEqual([]);

    await expect.poll(() => smtp.received.length, { timeout: 15_000 }).toBe(1);
    const mail = smtp.received[0]!;
    const text = mail.text ?? '';
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toContain('sam.family@example.org');
    expect(mail.subject).toContain('North Crisis Team');
    expect(text).toContain(url);
    for (const secret of ['Sam', 'S.K. family', 'self', 'Dr Maria Lee']) {
      expect(`${mail.subject}\n${text}`, secret).not.toContain(secret);
    }

    // The link in the mail opens the pre-join page.
    const family = await browser.newContext();
    const page = await family.newPage();
    await page.goto(text.match(/https?:\/\/\S+\/join\/[A-Za-z0-9_-]+/)![0]);
    await page.getByTestId('join-form').waitFor({ timeout: 20_000 });
    await family.close();
  }, 120_000);

  it('a link revoked is no longer offered in the fresh links box; the others stay', async () => {
    await freshLink('Dad').waitFor({ timeout: 10_000 });
    await lee.getByRole('button', { name: 'Revoke link for Dad' }).click();
    await lee
      .getByTestId('invite-person')
      .filter({ hasText: 'Dad' })
      .getByRole('button', { name: 'Make link for Dad' })
      .waitFor({ timeout: 20_000 });
    expect(await freshLink('Dad').count()).toBe(0);
    expect(await freshLink('Sam').count()).toBe(1);
    expect(blocking(await axeFindings(lee))).toEqual([]);
  }, 60_000);
});
