import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  prepareMeeting,
  startStack,
  type PreparedMeeting,
  type Stack,
} from '@polyphony/stack';
import { MeetingPages } from './meeting-pages.ts';

// A meeting nobody comes to ends itself (issue 13), here after 6 s of nobody in the room
// (IDLE_END_MINUTES=0.1; an hour by default), and does not count as held on the dashboard.

describe('an idle meeting ends itself', () => {
  let stack: Stack;
  let browser: Browser;
  let meeting: PreparedMeeting;
  let staff: Page;

  beforeAll(async () => {
    stack = await startStack({ web: true, signalEnv: { IDLE_END_MINUTES: '0.1' } });
    meeting = await prepareMeeting(stack.origin, stack.origin, [
      { name: 'Sam', relationship: 'self', isCentre: true },
    ]);
    browser = await launchChromium();
    const pages = new MeetingPages(stack, meeting);
    staff = (await pages.open(browser, meeting.admin.cookies, '/staff')).page;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('an immediate meeting nobody came to ends by itself and is not counted as held', async () => {
    await staff.goto(`${stack.origin}/staff/meetings/${meeting.meetingId}`);
    await expect
      .poll(
        async () => {
          await staff.reload();
          return staff.getByTestId('meeting-state').getAttribute('data-state');
        },
        { timeout: 60_000, interval: 2000 },
      )
      .toBe('ended');
    await staff.goto(`${stack.origin}/staff`);
    await expect(staff.getByTestId('meetings-held').first().textContent()).resolves.toBe('0');
  });
});
