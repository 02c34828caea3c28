import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  postgresBinDir,
  startPostgresCluster,
  startStack,
  type PostgresCluster,
  type Stack,
} from '@polyphony/stack';
import { axeFindings, blocking } from './axe.ts';
import {
  joinFromMeetingPage,
  prepareTeam,
  signIn,
  startMeetingNow,
  type Team,
} from './staff-pages.ts';

const ROOM_TEXT = 'The meeting controls are briefly unavailable; your call continues.';
const STAFF_TEXT = 'Polyphony is briefly unavailable; a call in progress continues.';

const bin = postgresBinDir();
const skipped = bin
  ? ''
  : ' (SKIPPED: no PostgreSQL server programs (initdb, pg_ctl) under /usr/lib/postgresql)';

// Issue 18, as people see it: PostgreSQL of the test's own goes away while the facilitator is
// in the room. The room says the controls pause and the call goes on; the staff pages say the
// same in general terms; once it is back, the same click works.
describe.skipIf(!bin)(`a database outage in the browser${skipped}`, () => {
  let cluster: PostgresCluster;
  let stack: Stack;
  let browser: Browser;
  let team: Team;

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    stack = await startStack({
      web: true,
      output: process.env['DBOUT_LOG'] ?? 'ignore',
      database: { kind: 'postgres', env: { DATABASE_URL: cluster.url }, drop: async () => {} },
    });
    team = await prepareTeam(stack.origin, [{ name: 'Sam', relationship: 'self', isCentre: true }]);
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await cluster?.dispose();
  });

  it('the room says the controls are briefly unavailable while the call goes on, then they work', async () => {
    const { page } = await signIn(browser, stack.origin, team.clinician);
    // The live channel's frames, printed only if the test fails (to see what the page was told).
    const frames: string[] = [];
    const t0 = Date.now();
    page.on('websocket', (ws) => {
      if (!ws.url().includes('/live')) return;
      frames.push(`${Date.now() - t0} open ${ws.url().split('?')[1] ?? ''}`);
      ws.on('framereceived', (f) =>
        frames.push(`${Date.now() - t0} in ${String(f.payload).slice(0, 200)}`),
      );
      ws.on('framesent', (f) =>
        frames.push(`${Date.now() - t0} out ${String(f.payload).slice(0, 100)}`),
      );
      ws.on('close', () => frames.push(`${Date.now() - t0} close`));
    });
    page.on('response', (r) => {
      if (!r.url().includes('/api/')) return;
      const at = Date.now() - t0;
      const line = `${at} ${r.request().method()} ${r.status()} ${new URL(r.url()).pathname} ${r.request().postData() ?? ''}`;
      void r.text().then(
        (body) => frames.push(`${line} -> ${body.slice(0, 300)}`),
        () => frames.push(line),
      );
    });
    await startMeetingNow(page, team.networkLabel);
    const meetingPage = page.url();
    await joinFromMeetingPage(page);

    await cluster.crash();
    await page.getByTestId('mode-switch').click();
    const alert = page.getByTestId('command-error');
    await alert.waitFor({ timeout: 15_000 });
    const told = (await alert.textContent()) ?? '';
    // Once in CI the page was told "not reachable" (its request failed outright): say which hop.
    if (!told.includes(ROOM_TEXT)) console.info(`first click told: ${told}\n${frames.join('\n')}`);
    expect(told).toContain(ROOM_TEXT);
    await expect(alert.getAttribute('role')).resolves.toBe('alert');
    await expect(page.getByTestId('media-status').getAttribute('data-state')).resolves.toBe(
      'connected',
    );
    expect(blocking(await axeFindings(page))).toEqual([]);

    // A staff page loaded now says so too, in general terms.
    const staff = await page.context().newPage();
    await staff.goto(meetingPage);
    await staff.getByText(STAFF_TEXT).waitFor({ timeout: 15_000 });
    expect(blocking(await axeFindings(staff))).toEqual([]);
    await staff.close();

    await cluster.start();
    await expect
      .poll(async () => (await fetch(`${stack.signal.url}/api/ready`)).status, {
        timeout: 30_000,
      })
      .toBe(200);
    frames.push(`${Date.now() - t0} second click`);
    await page.getByTestId('mode-switch').click();
    await expect
      .poll(() => page.getByTestId('mode-banner').getAttribute('data-mode'), { timeout: 30_000 })
      .toBe('reflecting')
      .catch(async (err: unknown) => {
        const meetingId = new URL(meetingPage).pathname.split('/').filter(Boolean).pop();
        const told = await page.evaluate(async (id) => {
          const read = async (path: string) => (await fetch(path)).text();
          return [await read(`/api/meetings/${id}/timeline`), await read(`/api/meetings/${id}`)];
        }, meetingId);
        console.info(`${frames.join('\n')}\nTIMELINE ${told[0]}\nMEETING ${told[1]}`);
        throw err;
      });
    await expect(page.getByTestId('command-error').count()).resolves.toBe(0);
    await expect(page.getByTestId('media-status').getAttribute('data-state')).resolves.toBe(
      'connected',
    );
  }, 180_000);
});
