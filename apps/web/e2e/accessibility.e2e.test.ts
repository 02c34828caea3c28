import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  prepareMeeting,
  startStack,
  type Link,
  type PreparedMeeting,
  type Stack,
} from '@polyphony/stack';
import { axeFindings, type AxeFinding } from './axe.ts';
import {
  KNOWN_ISSUES,
  LANGUAGES,
  SWEPT_STATES,
  VIEWS,
  type SweptState,
} from './accessibility-scope.ts';

// The accessibility statement's evidence (docs/accessibility/statement.md): axe-core's WCAG 2.2
// AA rules over every page and state in accessibility-scope.ts, in English and Finnish, at
// 320 px and at 200% zoom, plus a check that nothing scrolls sideways at those widths (WCAG
// 1.4.10, which axe does not test). Then a keyboard-only pass over the main flow. One stack.

type Lang = (typeof LANGUAGES)[number]['lang'];

interface Checked {
  readonly lang: Lang;
  readonly view: string;
  readonly state: SweptState;
  readonly findings: AxeFinding[];
}

const isBlocking = (f: AxeFinding) => f.impact === 'serious' || f.impact === 'critical';
const excused = (state: SweptState, rule: string) =>
  KNOWN_ISSUES.some((k) => k.state === state && k.rule === rule);

describe('accessibility: every page and state, in English and Finnish, at 320 px and 200% zoom', () => {
  let stack: Stack;
  let browser: Browser;
  let meeting: PreparedMeeting;
  const checked: Checked[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    stack = await startStack({ web: true, cookieSecure: true });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const origin = () => stack.origin;

  async function newPage(lang: Lang, cookies?: ReadonlyMap<string, string>): Promise<Page> {
    const { locale } = LANGUAGES.find((l) => l.lang === lang)!;
    const context = await browser.newContext({
      locale,
      permissions: ['camera', 'microphone'],
      viewport: { width: 1280, height: 720 },
    });
    contexts.push(context);
    if (cookies) {
      await context.addCookies(
        [...cookies].map(([name, value]) => ({ name, value, url: origin() })),
      );
    }
    return context.newPage();
  }

  const frame = (page: Page) =>
    page.evaluate(
      () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
    );

  /** Checks the page as it is now in every view, then puts its viewport back. */
  async function check(page: Page, lang: Lang, state: SweptState): Promise<void> {
    expect(await page.locator('html').getAttribute('lang'), `${state} in ${lang}`).toBe(lang);
    const before = page.viewportSize();
    for (const { view, width, height } of VIEWS) {
      await page.setViewportSize({ width, height });
      await frame(page);
      const findings = await axeFindings(page);
      const sideways = await page.evaluate(
        () => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1,
      );
      if (sideways) {
        findings.push({
          id: 'reflow-horizontal-scroll',
          impact: 'serious',
          help: 'The page scrolls sideways (WCAG 1.4.10 Reflow)',
          targets: ['html'],
        });
      }
      checked.push({ lang, view, state, findings });
    }
    if (before) await page.setViewportSize(before);
  }

  const h1 = (page: Page) => page.locator('h1').first().waitFor({ timeout: 30_000 });

  it('the setup page on an empty database', async () => {
    for (const { lang } of LANGUAGES) {
      const page = await newPage(lang);
      await page.goto(`${origin()}/staff/setup`);
      await page.locator('form').first().waitFor({ timeout: 30_000 });
      await check(page, lang, 'setup');
    }
    meeting = await prepareMeeting(origin(), origin(), [
      { name: 'Sam', relationship: 'himself', isCentre: true },
      { name: 'Dad', relationship: 'father' },
      { name: 'Gran', relationship: 'grandmother' },
    ]);
  }, 180_000);

  /** A fresh immediate meeting of the same network, with everyone's links. */
  async function freshMeeting(): Promise<PreparedMeeting> {
    const created = await meeting.admin.call<{
      meeting: { meeting: { id: string } };
      links: { invite: Omit<Link, 'token' | 'url'>; token: string; url: string }[];
    }>('POST', `/api/networks/${meeting.networkId}/meetings`, {
      kind: 'immediate',
      inviteEveryone: true,
    });
    return {
      ...meeting,
      meetingId: created.meeting.meeting.id,
      links: created.links.map(({ invite, token, url }) => ({ ...invite, token, url })),
    };
  }

  const tokenOf = (m: PreparedMeeting, name: string) => {
    const link = m.links.find((l) => l.name === name);
    if (!link) throw new Error(`no link for ${name}`);
    return link.token;
  };

  /** Opens a link, fills the pre-join page and knocks; checks the pre-join page on the way. */
  async function knock(m: PreparedMeeting, lang: Lang, name: string, checkIt: boolean) {
    const page = await newPage(lang);
    await page.goto(`${origin()}/join/${tokenOf(m, name)}`);
    await page.getByTestId('join-form').waitFor({ timeout: 30_000 });
    if (checkIt) await check(page, lang, 'pre-join');
    await page.getByTestId('join-name').fill(name);
    await page.getByTestId('join-submit').click();
    await page.waitForURL(`${origin()}/m/${m.meetingId}`, { timeout: 30_000 });
    await page.getByTestId('lobby-waiting').waitFor({ timeout: 30_000 });
    return page;
  }

  const lobbyEntry = (lee: Page, name: string) =>
    lee.locator('[data-testid="lobby-entry"]', { hasText: name });

  async function sweep(lang: Lang, m: PreparedMeeting): Promise<void> {
    const cookies = m.admin.cookies;

    // Signed-out pages and pages that answer with a problem.
    const anon = await newPage(lang);
    await anon.goto(`${origin()}/`);
    await h1(anon);
    await check(anon, lang, 'landing');
    await anon.goto(`${origin()}/staff/sign-in`);
    await anon.locator('input[type="password"]').waitFor({ timeout: 30_000 });
    await check(anon, lang, 'sign-in');
    await anon.locator('input[type="email"]').fill(`nobody-${lang}@example.test`);
    await anon.locator('input[type="password"]').fill('not the password');
    await anon.locator('button[type="submit"]').click();
    await anon.getByRole('alert').first().waitFor({ timeout: 30_000 });
    await check(anon, lang, 'sign-in refused');
    await anon.goto(`${origin()}/join/${'x'.repeat(43)}`);
    await anon.getByTestId('join-link-problem').waitFor({ timeout: 30_000 });
    await check(anon, lang, 'error dead link');
    await anon.goto(`${origin()}/no-such-page`);
    await h1(anon);
    await check(anon, lang, 'error not found');
    await anon.goto(`${origin()}/m/${crypto.randomUUID()}`);
    await expect
      .poll(() => anon.getByTestId('connection-status').getAttribute('data-state'), {
        timeout: 30_000,
      })
      .toBe('closed');
    await check(anon, lang, 'error not in the meeting');

    // The staff app, signed in.
    const staff = await newPage(lang, cookies);
    for (const [path, state] of [
      ['/staff', 'dashboard'],
      [`/staff/networks/${m.networkId}`, 'network'],
      ['/staff/networks/new', 'new network'],
      ['/staff/admin/staff', 'staff accounts'],
      [`/staff/networks/${crypto.randomUUID()}`, 'error not found staff'],
    ] as const) {
      await staff.goto(`${origin()}${path}`);
      await h1(staff);
      await check(staff, lang, state);
    }
    await staff.goto(`${origin()}/staff/meetings/${m.meetingId}`);
    await staff.getByTestId('invite-person').first().waitFor({ timeout: 30_000 });
    await check(staff, lang, 'meeting links');

    // The facilitator enters; Sam (at the centre) knocks and is let in.
    await staff.getByTestId('meeting-join').click();
    const lee = staff;
    await lee.getByTestId('in-room').waitFor({ timeout: 40_000 });
    const sam = await knock(m, lang, 'Sam', true);
    await check(sam, lang, 'lobby waiting');
    await lobbyEntry(lee, 'Sam').waitFor({ timeout: 30_000 });
    await check(lee, lang, 'room facilitator with a knock');
    await lobbyEntry(lee, 'Sam').getByTestId('lobby-admit').click();
    await sam.getByTestId('mode-banner').waitFor({ timeout: 40_000 });
    await check(sam, lang, 'room dialogue');

    // Dad knocks: Sam is asked, says yes; the facilitator lets him in.
    const dad = await knock(m, lang, 'Dad', false);
    await sam.getByTestId('consent-prompt').waitFor({ timeout: 30_000 });
    await check(sam, lang, 'room centre asked to consent');
    await sam.getByTestId('consent-yes').click();
    await lobbyEntry(lee, 'Dad').getByTestId('lobby-admit').click();
    await dad.getByTestId('mode-banner').waitFor({ timeout: 40_000 });

    // Gran knocks: Sam says not now.
    const gran = await knock(m, lang, 'Gran', false);
    await sam.getByTestId('consent-prompt').waitFor({ timeout: 30_000 });
    await sam.getByTestId('consent-no').click();
    await gran.getByTestId('lobby-declined').waitFor({ timeout: 30_000 });
    await check(gran, lang, 'lobby declined');

    // A reflection, seen by the network and by the facilitator.
    await lee.getByTestId('mode-switch').click();
    await expect
      .poll(() => dad.getByTestId('mode-banner').getAttribute('data-mode'), { timeout: 30_000 })
      .toBe('reflecting');
    await dad.getByTestId('wish-to-respond').waitFor({ timeout: 30_000 });
    await check(dad, lang, 'room reflection network');
    await check(lee, lang, 'room reflection facilitator');
    await lee.getByTestId('mode-switch').click();
    await expect
      .poll(() => dad.getByTestId('mode-banner').getAttribute('data-mode'), { timeout: 30_000 })
      .toBe('dialogue');

    // Dad opens the leave dialog and stays.
    await dad.getByTestId('leave-button').click();
    await dad.getByTestId('leave-dialog').waitFor({ timeout: 30_000 });
    await check(dad, lang, 'room leave dialog');
    await dad.keyboard.press('Escape');

    // The record, read in a tab of its own while the meeting goes on.
    const recordTab = await dad.context().newPage();
    await recordTab.goto(`${origin()}/m/${m.meetingId}/record`);
    await recordTab.getByTestId('record-page').waitFor({ timeout: 30_000 });
    await check(recordTab, lang, 'record during the meeting');
    await recordTab.close();

    // Ending: the facilitator is asked for the next meeting's time, then everyone is told.
    await lee.getByTestId('end-meeting').click();
    await lee.getByTestId('end-form').waitFor({ timeout: 30_000 });
    await check(lee, lang, 'room ending');
    await lee.getByTestId('end-confirm').click();
    await dad.getByTestId('meeting-ended').waitFor({ timeout: 30_000 });
    await check(dad, lang, 'room ended');
    await dad.getByTestId('record-link').click();
    await dad.getByTestId('record-page').waitFor({ timeout: 30_000 });
    await check(dad, lang, 'record after the end');
  }

  it('English: every page and state', async () => {
    await sweep('en', meeting);
  }, 600_000);

  it('Finnish: every page and state', async () => {
    await sweep('fi', await freshMeeting());
  }, 600_000);

  it('covered every state in both languages and views, with no serious or critical finding', () => {
    for (const { lang } of LANGUAGES) {
      for (const { view } of VIEWS) {
        const states = checked
          .filter((c) => c.lang === lang && c.view === view)
          .map((c) => c.state);
        expect(new Set(states), `${lang} at ${view}`).toEqual(new Set(SWEPT_STATES));
      }
    }
    const blocking = checked.flatMap((c) =>
      c.findings
        .filter((f) => isBlocking(f) && !excused(c.state, f.id))
        .map(
          (f) => `${c.lang} ${c.view} ${c.state}: ${f.id} (${f.impact}) ${f.targets.join(', ')}`,
        ),
    );
    // Every finding, blocking or not, for the statement's known issues.
    const summary = new Map<string, Set<string>>();
    for (const c of checked) {
      for (const f of c.findings) {
        const key = `${f.id} (${f.impact}): ${f.help}`;
        summary.set(key, (summary.get(key) ?? new Set()).add(`${c.state} [${c.lang} ${c.view}]`));
      }
    }
    console.info(
      'accessibility findings (all impacts):',
      JSON.stringify(Object.fromEntries([...summary].map(([k, v]) => [k, [...v]])), null, 1),
    );
    expect(blocking).toEqual([]);
  });

  /**
   * Presses Tab until `target` has the focus (failing if it never does: not reachable by
   * keyboard), and checks that the focus can be seen there.
   */
  async function tabTo(page: Page, target: Locator, max = 80): Promise<void> {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      if (await target.evaluate((el) => el === document.activeElement)) {
        const visible = await target.evaluate((el) => {
          const style = getComputedStyle(el);
          const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
          return el.matches(':focus-visible') && (outline || style.boxShadow !== 'none');
        });
        expect(visible, 'the keyboard focus is visible').toBe(true);
        return;
      }
    }
    throw new Error(`not reached with Tab: ${String(target)}`);
  }

  it('keyboard only: sign in, enter, let Sam in, reflect, ask to respond, leave, end', async () => {
    const m = await freshMeeting();
    const me = await m.admin.call<{ staff: { email: string } }>('GET', '/api/me');

    // Staff sign-in with Tab, typing and Enter.
    const lee = await newPage('en');
    await lee.goto(`${origin()}/staff/sign-in`);
    await h1(lee);
    await tabTo(lee, lee.locator('input[type="email"]'));
    await lee.keyboard.type(me.staff.email);
    await tabTo(lee, lee.locator('input[type="password"]'));
    await lee.keyboard.type('correct horse battery staple');
    await lee.keyboard.press('Enter');
    await lee.waitForURL(`${origin()}/staff`, { timeout: 30_000 });
    await lee.goto(`${origin()}/staff/meetings/${m.meetingId}`);
    await tabTo(lee, lee.getByTestId('meeting-join'));
    await lee.keyboard.press('Enter');
    await lee.getByTestId('in-room').waitFor({ timeout: 40_000 });

    // Sam's pre-join page with the keyboard: name, knock.
    const sam = await newPage('en');
    await sam.goto(`${origin()}/join/${tokenOf(m, 'Sam')}`);
    await sam.getByTestId('join-form').waitFor({ timeout: 30_000 });
    await tabTo(sam, sam.getByTestId('join-name'));
    await sam.keyboard.type('Sam');
    await tabTo(sam, sam.getByTestId('join-submit'));
    await sam.keyboard.press('Enter');
    await sam.getByTestId('lobby-waiting').waitFor({ timeout: 30_000 });

    // The facilitator lets Sam in and starts a reflection.
    const admit = lobbyEntry(lee, 'Sam').getByTestId('lobby-admit');
    await admit.waitFor({ timeout: 30_000 });
    await tabTo(lee, admit);
    await lee.keyboard.press('Enter');
    await sam.getByTestId('mode-banner').waitFor({ timeout: 40_000 });
    await tabTo(lee, lee.getByTestId('mode-switch'));
    await lee.keyboard.press('Enter');
    await expect
      .poll(() => sam.getByTestId('mode-banner').getAttribute('data-mode'), { timeout: 30_000 })
      .toBe('reflecting');

    // Sam asks to respond, then opens the leave dialog and closes it with Escape.
    await tabTo(sam, sam.getByTestId('wish-to-respond'));
    await sam.keyboard.press('Enter');
    await sam.getByTestId('wish-sent').waitFor({ timeout: 30_000 });
    await tabTo(sam, sam.getByTestId('leave-button'));
    await sam.keyboard.press('Enter');
    await sam.getByTestId('leave-dialog').waitFor({ timeout: 30_000 });
    await sam.keyboard.press('Escape');
    await sam.getByTestId('leave-dialog').waitFor({ state: 'hidden', timeout: 30_000 });

    // The facilitator ends the meeting, with the keyboard.
    await tabTo(lee, lee.getByTestId('mode-switch'));
    await lee.keyboard.press('Enter');
    await tabTo(lee, lee.getByTestId('end-meeting'));
    await lee.keyboard.press('Enter');
    await tabTo(lee, lee.getByTestId('end-confirm'));
    await lee.keyboard.press('Enter');
    await sam.getByTestId('meeting-ended').waitFor({ timeout: 30_000 });
    await tabTo(sam, sam.getByTestId('record-link'));
    await sam.keyboard.press('Enter');
    await sam.getByTestId('record-page').waitFor({ timeout: 30_000 });
  }, 300_000);

  it('the keyboard pass can fail: an unreachable control is reported', async () => {
    const page = await newPage('en');
    await page.setContent(
      '<main><button>one</button><div id="x" onclick="1">not a button</div></main>',
    );
    await expect(tabTo(page, page.locator('#x'), 5)).rejects.toThrow('not reached with Tab');
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
  });
});
