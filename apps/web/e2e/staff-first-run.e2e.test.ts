import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, startStack, type Stack } from '@polyphony/stack';
import { axeFindings, blocking, type AxeFinding } from './axe.ts';

// A new organisation's first minutes, as a person would click through them on an empty
// database: set up, add a colleague, create a network with its people, start a meeting and
// copy the personal links. Every page on the way is checked with axe-core (WCAG 2.2 AA).
describe('staff first run', () => {
  let stack: Stack;
  let browser: Browser;
  const findings: Record<string, AxeFinding[]> = {};

  beforeAll(async () => {
    // Secure cookies: Chromium treats http://127.0.0.1 as a secure context, so the service's
    // production cookie settings are kept.
    stack = await startStack({ web: true, cookieSecure: true });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  // SCREENSHOT_DIR=/some/dir keeps a desktop and a phone-sized picture of each page.
  async function snap(page: Page, name: string) {
    const dir = process.env.SCREENSHOT_DIR;
    if (!dir) return;
    const file = name.replace(/\W+/g, '-');
    await page.screenshot({ path: `${dir}/${file}.png`, fullPage: true });
    const size = page.viewportSize();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${dir}/${file}-phone.png`, fullPage: true });
    if (size) await page.setViewportSize(size);
  }

  async function checkPage(page: Page, name: string) {
    await snap(page, name);
    const found = await axeFindings(page);
    findings[name] = found;
    expect(blocking(found), `${name}: ${JSON.stringify(found, null, 2)}`).toEqual([]);
  }

  const heading = (page: Page, name: string) =>
    page.getByRole('heading', { level: 1, name, exact: true }).waitFor({ timeout: 15_000 });

  it('the accessibility check finds a serious problem when there is one', async () => {
    const page = await browser.newPage();
    await page.setContent('<html lang="en"><title>t</title><main><img src="x.png"></main></html>');
    expect(blocking(await axeFindings(page)).map((f) => f.id)).toContain('image-alt');
    await page.close();
  });

  it('sets up, adds a peer worker, creates a network and hands out three links', async () => {
    const context = await browser.newContext({
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    const page = await context.newPage();
    const origin = stack.origin;
    const started = Date.now();

    // An empty database: the start page sends the first visitor to setup.
    await page.goto(origin);
    await page.waitForURL(`${origin}/staff/setup`);
    await heading(page, 'Set up Polyphony');
    await checkPage(page, 'setup');
    await page.getByLabel('Name of the organisation or team').fill('North Crisis Team');
    await page.getByLabel('Your name').fill('Dr Maria Lee');
    await page.getByLabel('Email address').fill('maria@example.org');
    await page.getByLabel('Password', { exact: true }).fill('river stone lantern');
    await page.getByRole('button', { name: 'Create organisation and account' }).click();

    await heading(page, 'Overview');
    expect(page.url()).toBe(`${origin}/staff`);
    await expect
      .poll(() => page.getByTestId('signed-in-as').textContent())
      .toBe('Dr Maria Lee, North Crisis Team');
    await checkPage(page, 'dashboard (empty)');

    // Setup is done: the sign-in page no longer offers it.
    const setupNow = await page.request.get(`${origin}/api/setup`);
    expect(await setupNow.json()).toEqual({ needed: false });

    // Add a peer worker.
    await page.getByRole('link', { name: 'Staff accounts' }).click();
    await heading(page, 'Staff accounts');
    await checkPage(page, 'staff accounts');
    await page.getByLabel('Name', { exact: true }).fill('Jussi Peer');
    await page.getByLabel('Email address').fill('jussi@example.org');
    await page.getByLabel('Role').selectOption('peer_worker');
    await page.getByLabel('First password').fill('birch lake morning');
    await page.getByRole('button', { name: 'Add colleague' }).click();
    await page.getByText('Jussi Peer can now sign in.').waitFor();
    await expect.poll(() => page.getByTestId('staff-row').count()).toBe(2);

    // A network with a centre person and two family members, and a meeting at once.
    await page.getByRole('link', { name: 'New network' }).click();
    await heading(page, 'New network');
    await checkPage(page, 'new network');
    await page.getByLabel('Short name for the network').fill('S.K. family');
    await page.getByLabel('Jussi Peer').check();
    await page.getByLabel('Name', { exact: true }).fill('Sam');
    await page.getByLabel('Name of person 1').fill('Anna');
    await page.getByLabel('Relationship of person 1').fill('mother');
    await page.getByLabel('Name of person 2').fill('Leo');
    await page.getByLabel('Relationship of person 2').fill('brother');
    await page.getByRole('button', { name: 'Create and start a meeting now' }).click();

    await heading(page, 'Meeting with S.K. family');
    expect(page.url()).toMatch(new RegExp(`^${origin}/staff/meetings/[0-9a-f-]{36}$`));
    expect(await page.getByTestId('meeting-state').getAttribute('data-state')).toBe('live');
    const meetingId = new URL(page.url()).pathname.split('/').at(-1)!;
    expect(
      await page.getByRole('link', { name: 'Read the shared record' }).getAttribute('href'),
    ).toBe(`/m/${meetingId}/record`);
    await checkPage(page, 'meeting');

    // Five links at once: Sam, Anna, Leo, and the two of the core team.
    const fresh = page.getByTestId('fresh-link');
    await expect.poll(() => fresh.count()).toBe(5);
    const memberLinks = page.locator('[data-testid="fresh-link"]:not([data-member=""])');
    expect(await memberLinks.count()).toBe(3);
    const urls: string[] = [];
    for (const name of ['Sam', 'Anna', 'Leo']) {
      const field = page.getByRole('textbox', { name: `Link for ${name}`, exact: true });
      const url = await field.inputValue();
      expect(url).toMatch(new RegExp(`^${origin}/join/[A-Za-z0-9_-]{22,}$`));
      const row = memberLinks.filter({ has: field });
      await row.getByRole('button', { name: 'Copy' }).click();
      await row.getByText('Copied.').waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
      urls.push(url);
    }
    expect(new Set(urls).size).toBe(3);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(60_000);

    // The network page and the dashboard show what happened.
    await page.getByRole('link', { name: 'Network S.K. family' }).click();
    await heading(page, 'S.K. family');
    await expect.poll(() => page.getByTestId('member').count()).toBe(3);
    // Sam agrees in advance that Anna may join: who wrote it down, and when, is shown.
    const anna = page.getByTestId('member').filter({ hasText: 'Anna' });
    await anna.getByLabel('Sam has agreed in advance that this person may join').check();
    await anna.getByText('Written down by Dr Maria Lee on').waitFor();
    const leo = page.locator('[data-testid="member"][data-name="Leo"]');
    await leo.getByRole('button', { name: 'Edit Leo' }).click();
    await leo.getByLabel('Relationship').fill('half-brother');
    await leo.getByRole('button', { name: 'Save' }).click();
    await leo.getByText('half-brother').waitFor();
    await checkPage(page, 'network');

    await page.getByRole('link', { name: 'Overview' }).click();
    await heading(page, 'Overview');
    await page.getByRole('link', { name: 'Meeting with S.K. family' }).waitFor();
    await checkPage(page, 'dashboard');

    // Signing out leads back to sign-in, and the staff pages then ask for it.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await heading(page, 'Staff sign in');
    await checkPage(page, 'sign in');
    await page.goto(`${origin}/staff`);
    await heading(page, 'Staff sign in');

    await context.close();
  }, 120_000);

  // Continues from the first run's organisation and network.
  it('signs in again, schedules a meeting with a calendar file, and replaces a link', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const origin = stack.origin;

    await page.goto(`${origin}/staff/sign-in`);
    await heading(page, 'Staff sign in');
    await page.getByLabel('Email address').fill('maria@example.org');
    await page.getByLabel('Password', { exact: true }).fill('not my password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByRole('alert')
      .getByText('The email address or password is not right.')
      .waitFor();
    await checkPage(page, 'sign in (wrong password)');
    await page.getByLabel('Password', { exact: true }).fill('river stone lantern');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading(page, 'Overview');

    await page.getByRole('link', { name: 'S.K. family', exact: true }).click();
    await heading(page, 'S.K. family');
    const tomorrow = new Date(Date.now() + 24 * 3600_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    await page
      .getByLabel('Schedule a meeting for')
      .fill(
        `${tomorrow.getFullYear()}-${pad(tomorrow.getMonth() + 1)}-${pad(tomorrow.getDate())}T10:00`,
      );
    await page.getByRole('button', { name: 'Schedule a meeting', exact: true }).click();

    await heading(page, 'Meeting with S.K. family');
    expect(await page.getByTestId('meeting-state').getAttribute('data-state')).toBe('scheduled');
    expect(await page.getByTestId('meeting-record-link').count()).toBe(0);
    await expect.poll(() => page.getByTestId('fresh-link').count()).toBe(5);
    const calendar = page.getByRole('link', { name: 'Add to calendar (.ics)' });
    const ics = await page.request.get(
      new URL((await calendar.getAttribute('href'))!, origin).href,
    );
    expect(ics.status()).toBe(200);
    expect(ics.headers()['content-type']).toContain('text/calendar');
    expect(await ics.text()).toContain('BEGIN:VEVENT');

    // Leo's link went astray: revoke it and make a new one, shown once like the others.
    // The revoked link leaves the fresh links at once (nobody copies a dead link).
    const leo = page.getByRole('textbox', { name: 'Link for Leo', exact: true });
    const first = await leo.inputValue();
    await page.getByRole('button', { name: 'Revoke link for Leo' }).click();
    await expect.poll(() => leo.count()).toBe(0);
    await expect.poll(() => page.getByTestId('fresh-link').count()).toBe(4);
    await page.getByRole('button', { name: 'Make link for Leo' }).click();
    await expect.poll(() => page.getByTestId('fresh-link').count()).toBe(5);
    await expect.poll(() => leo.count()).toBe(1);
    expect(await leo.inputValue()).not.toBe(first);
    await checkPage(page, 'scheduled meeting');

    await page.getByRole('link', { name: 'Overview' }).click();
    await heading(page, 'Overview');
    await expect
      .poll(() => page.getByRole('link', { name: 'Meeting with S.K. family' }).count())
      .toBe(2);
    await context.close();
    console.info('axe findings (all impacts):', JSON.stringify(findings));
  }, 120_000);
});
