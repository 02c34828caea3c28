import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startStack, type Stack } from '@polyphony/stack';
import { axeFindings, blocking } from './axe.ts';
import { heading, prepareTeam, signIn, startMeetingNow, type Team } from './staff-pages.ts';

const CONTACT = 'The ward office, 020 123 4567';

// A link that no longer works is not a dead end: the page says whom to ask. The admin says how
// people reach the organisation on the staff accounts page; a revoked link's page shows it.
describe('a dead link says whom to contact', () => {
  let stack: Stack;
  let browser: Browser;
  let team: Team;
  let setupFindings: unknown[] = [];

  beforeAll(async () => {
    stack = await startStack({ web: true, cookieSecure: true });
    browser = await launchChromium();
    // The first-run page offers the contact too (checked here before setup is done).
    const first = await (await browser.newContext()).newPage();
    await first.goto(`${stack.origin}/staff/setup`);
    await first.getByLabel('How people can reach you (optional)').waitFor({ timeout: 20_000 });
    setupFindings = blocking(await axeFindings(first));
    await first.context().close();
    team = await prepareTeam(stack.origin, [
      { name: 'Sam', relationship: 'self', isCentre: true },
      { name: 'Dad', relationship: 'father' },
    ]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('the admin sets the contact; the page of a revoked link names it; an unknown link is kind', async () => {
    expect(setupFindings).toEqual([]);
    const { page: lee } = await signIn(browser, stack.origin, team.clinician);
    await lee.getByRole('link', { name: 'Staff accounts' }).click();
    await heading(lee, 'Staff accounts');
    await lee.getByLabel('How people can reach you (optional)').fill(CONTACT);
    await lee.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => lee.getByTestId('organisation-contact-status').textContent(), {
        timeout: 15_000,
      })
      .toContain('Saved.');
    expect(blocking(await axeFindings(lee))).toEqual([]);

    await startMeetingNow(lee, team.networkLabel);
    const dadLink = await lee
      .getByRole('textbox', { name: 'Link for Dad', exact: true })
      .inputValue();
    await lee.getByRole('button', { name: 'Revoke link for Dad' }).click();
    await lee.getByRole('button', { name: 'Make link for Dad' }).waitFor({ timeout: 15_000 });

    const dad = await (await browser.newContext()).newPage();
    await dad.goto(dadLink);
    const problem = dad.getByTestId('join-link-problem');
    await problem.waitFor({ timeout: 20_000 });
    expect(await problem.getByRole('heading', { level: 1 }).textContent()).toBe(
      'This link cannot be used',
    );
    expect(await dad.getByTestId('join-link-contact').textContent()).toContain(
      `How to reach the team: ${CONTACT}`,
    );
    expect(blocking(await axeFindings(dad))).toEqual([]);

    // A link nobody ever made has no organisation: a kind sentence, never a dead end.
    await dad.goto(`${stack.origin}/join/${'x'.repeat(43)}`);
    await problem.waitFor({ timeout: 20_000 });
    expect(await dad.getByTestId('join-link-contact').textContent()).toContain(
      'the person who sent you this link can help',
    );
    expect(blocking(await axeFindings(dad))).toEqual([]);
  }, 180_000);
});
