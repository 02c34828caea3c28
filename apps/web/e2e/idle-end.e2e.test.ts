import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startStack, type Stack } from '@polyphony/stack';
import { prepareTeam, signIn, startMeetingNow, type Team } from './staff-pages.ts';

// A meeting nobody comes to ends itself (issue 13), here after 6 s of nobody in the room
// (IDLE_END_MINUTES=0.1; an hour by default), and does not count as held on the dashboard.
// The clinician starts it as they do: signed in, from the network's page.

describe('an idle meeting ends itself', () => {
  let stack: Stack;
  let browser: Browser;
  let team: Team;

  beforeAll(async () => {
    stack = await startStack({ web: true, signalEnv: { IDLE_END_MINUTES: '0.1' } });
    team = await prepareTeam(stack.origin, [{ name: 'Sam', relationship: 'self', isCentre: true }]);
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('an immediate meeting nobody came to ends by itself and is not counted as held', async () => {
    const { page } = await signIn(browser, stack.origin, team.clinician);
    await startMeetingNow(page, team.networkLabel);
    const meetingPage = page.url();
    await expect(page.getByTestId('meeting-state').getAttribute('data-state')).resolves.toBe(
      'live',
    );
    await expect
      .poll(
        async () => {
          await page.goto(meetingPage);
          return page.getByTestId('meeting-state').getAttribute('data-state');
        },
        { timeout: 60_000, interval: 2000 },
      )
      .toBe('ended');
    await page.getByRole('link', { name: 'Overview' }).click();
    const network = page.getByTestId('network-card').filter({ hasText: team.networkLabel });
    await expect(network.getByTestId('meetings-held').textContent()).resolves.toBe('0');
  });
});
