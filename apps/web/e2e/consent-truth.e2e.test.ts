import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  joinByLink,
  launchChromium,
  prepareMeeting,
  startStack,
  writeToneWav,
  type PreparedMeeting,
  type Stack,
  listParticipants,
  participantOf,
  type LivekitMember,
} from '@polyphony/stack';
import { MeetingPages, openPanel, sleep, waitFor, type RoomPage } from './meeting-pages.ts';
import { inboundBySender, lastMediaAccess, openStaffLiveView } from './room-probe.ts';

// Consent over who is in the room (issue 5), in real Chromium against the real web server,
// signal service and livekit-server: "asked to leave" means out (a captured token replayed
// gets nowhere), the roster everyone sees is the truth through churn, and a signal-service
// crash loses neither media nor live events.

const LIVEKIT_UMD = readFileSync(createRequire(import.meta.url).resolve('livekit-client'), 'utf8');

const rosterOf = (page: Page) =>
  page.$$eval('[data-testid="roster-entry"]', (els) =>
    els.map((el) => el.getAttribute('data-participant-id') ?? ''),
  );
/** What a page's own watcher saw of the intruder (times in ms, 0 = never). */
interface Watch {
  tileFirst: number;
  tileLast: number;
  rosterFirst: number;
  rosterLast: number;
  samples: number;
}

const sorted = (ids: Iterable<string>) => [...ids].sort();

/** Total inbound audio bytes of a page, whoever sent them. */
async function audioIn(page: Page): Promise<number> {
  const { audioBytes } = await inboundBySender(page);
  return Object.values(audioBytes).reduce((a, b) => a + b, 0);
}

describe('consent over who is in the room, against the real SFU', () => {
  let stack: Stack;
  let browser: Browser;
  let meeting: PreparedMeeting;
  let people: MeetingPages;
  let lee: RoomPage;
  let dad: RoomPage;
  let mia: RoomPage;
  const room = () => listParticipants(stack.livekit, meeting.meetingId);
  /** `…/participants/me` from the page's own session, with the CSRF token it keeps. */
  const ownCall = (page: Page, method: 'PATCH' | 'DELETE', body?: unknown) =>
    page.evaluate(
      async ({ meetingId, method, body }) => {
        const res = await fetch(`/api/meetings/${meetingId}/participants/me`, {
          method,
          headers: {
            'X-CSRF-Token': sessionStorage.getItem(`pp_csrf:${meetingId}`) ?? '',
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return res.status;
      },
      { meetingId: meeting.meetingId, method, body },
    );

  beforeAll(async () => {
    stack = await startStack({ web: true });
    // No centre person: the facilitator's admission alone lets people in (product.md 4.2).
    meeting = await prepareMeeting(stack.origin, stack.origin, [
      { name: 'Dad', relationship: 'father' },
      { name: 'Mia', relationship: 'aunt' },
      { name: 'Gran', relationship: 'grandmother' },
    ]);
    people = new MeetingPages(stack, meeting);
    browser = await launchChromium({ audioFile: writeToneWav({ frequency: 440 }) });
    lee = await people.facilitator(browser);
    dad = await people.guest(browser, 'Dad');
    mia = await people.guest(browser, 'Mia');
    await people.admitAndWait(dad);
    await people.admitAndWait(mia);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('asked to leave: the captured token replayed from a fresh page receives nothing and is thrown out; the link leads to the lobby', async () => {
    const captured = lastMediaAccess(dad.frames);
    expect(captured).not.toBeNull();
    const dadId = dad.participantId();

    // The facilitator asks Dad to step out, through the roster's own button.
    await openPanel(lee.page, 'people');
    const entry = lee.page.locator(`[data-testid="roster-entry"][data-participant-id="${dadId}"]`);
    await entry.getByTestId('ask-to-leave').click();
    await lee.page.getByTestId('ask-to-leave-confirm').click();
    await dad.page.getByTestId('lobby-stepped-out').waitFor({ timeout: 10_000 });
    await waitFor(
      async () => !(await room()).some((p) => p.identity === captured!.identity),
      5000,
      'removed identity gone from LiveKit',
    );

    // Watch every page in the room (inside the page, every 20 ms) while the old token is replayed.
    const watchers = [lee.page, mia.page];
    for (const page of watchers) {
      await page.evaluate(
        ({ identity, pid }) => {
          const w: Watch = { tileFirst: 0, tileLast: 0, rosterFirst: 0, rosterLast: 0, samples: 0 };
          (window as unknown as { __watch: Watch }).__watch = w;
          setInterval(() => {
            const now = Date.now();
            w.samples++;
            const q = (sel: string) => document.querySelector(sel) !== null;
            if (q(`[data-testid="remote-tile"][data-identity="${identity}"]`)) {
              w.tileFirst ||= now;
              w.tileLast = now;
            }
            if (q(`[data-testid="roster-entry"][data-participant-id="${pid}"]`)) {
              w.rosterFirst ||= now;
              w.rosterLast = now;
            }
          }, 20);
        },
        { identity: captured!.identity, pid: dadId },
      );
    }

    const intruder = await (await browser.newContext()).newPage();
    // A page of the product's origin (loopback, like the product's pages), not about:blank.
    await intruder.goto(`${stack.origin}/`);
    await intruder.evaluate(LIVEKIT_UMD);
    const replay = await intruder.evaluate(
      async ({ url, token }) => {
        const lk = (window as unknown as { LivekitClient: typeof import('livekit-client') })
          .LivekitClient;
        const r = new lk.Room();
        let joinedAt = 0;
        let removedAt = 0;
        let reason = -1;
        let subscribed = 0;
        r.on(lk.RoomEvent.TrackSubscribed, () => {
          subscribed++;
        });
        r.on(lk.RoomEvent.SignalConnected, () => {
          joinedAt = Date.now();
        });
        r.on(lk.RoomEvent.Disconnected, (why) => {
          removedAt = Date.now();
          reason = why ?? -1;
        });
        let error = '';
        await r.connect(url, token).catch((e: unknown) => {
          error = String(e);
        });
        const deadline = Date.now() + 15_000;
        while (!removedAt && Date.now() < deadline) {
          await new Promise((res) => setTimeout(res, 20));
        }
        return {
          joinedAt,
          removedAt,
          reason,
          subscribed,
          error,
          removedReason: lk.DisconnectReason.PARTICIPANT_REMOVED,
        };
      },
      { url: captured!.url, token: captured!.token },
    );
    await sleep(1500);
    const watched = await Promise.all(
      watchers.map((page) =>
        page.evaluate(() => (window as unknown as { __watch: Watch }).__watch),
      ),
    );
    console.info(`replay: ${JSON.stringify(replay)}; watchers: ${JSON.stringify(watched)}`);

    // LiveKit let the old token in (it is still signed and unexpired) but the token grants
    // nothing by itself: not one track reached the replay, and the signal service threw it out.
    // (How fast is measured, not asserted: bench consent prints it; a loaded box takes longer.)
    expect(replay.joinedAt, `replay never joined: ${replay.error}`).toBeGreaterThan(0);
    expect(replay.subscribed, 'a replayed token received a track').toBe(0);
    expect(replay.removedAt, 'replayed token was never removed').toBeGreaterThan(0);
    expect(replay.reason).toBe(replay.removedReason);
    console.info(`replayed token removed ${replay.removedAt - replay.joinedAt} ms after joining`);
    expect((await room()).map((p) => p.identity)).not.toContain(captured!.identity);
    // Nobody's roster ever showed Dad; the replay's empty tile (no one is hidden, not even a
    // connection that may do nothing) leaves every page once LiveKit has told them it left.
    for (const w of watched) {
      expect(w.samples).toBeGreaterThan(50);
      expect(w.rosterFirst).toBe(0);
    }
    for (const page of watchers) {
      await waitFor(
        async () =>
          (await page
            .locator(`[data-testid="remote-tile"][data-identity="${captured!.identity}"]`)
            .count()) === 0,
        15_000,
        'the replay tile gone',
      );
    }
    await intruder.context().close();

    // Coming back through the link lands in the lobby, with no media.
    await people.knock(dad.page, 'Dad', 'Dad');
    await dad.page.getByTestId('lobby-waiting').waitFor({ timeout: 10_000 });
    expect(await dad.page.evaluate('(window.__pcs ?? []).length')).toBe(0);
    expect((await room()).some((p) => participantOf(p.identity) === dadId)).toBe(false);
    await people.admitAndWait(dad);
    const back = lastMediaAccess(dad.frames);
    expect(back!.identity).not.toBe(captured!.identity);
  }, 90_000);
  it('roster truth: through a minute of churn every page shows exactly who is admitted and in LiveKit', async () => {
    const staff = await openStaffLiveView(
      stack.origin,
      meeting.meetingId,
      meeting.admin.cookieHeader(),
    );
    await waitFor(() => staff.roster().size > 0, 10_000, 'staff roster');
    const pages = [lee, dad, mia];
    const guests: [RoomPage, string][] = [
      [dad, 'Dad'],
      [mia, 'Mia'],
    ];

    interface Look {
      admitted: string[];
      livekit: string[];
      shown: Record<string, string[]>;
    }
    const look = async (): Promise<Look> => {
      const [members, ...rosters] = await Promise.all([
        room(),
        ...pages.map((p) => rosterOf(p.page).catch(() => [] as string[])),
      ]);
      const admitted = sorted(staff.roster());
      const shown: Record<string, string[]> = {};
      pages.forEach((p, i) => {
        // Pages in the room show a roster; pages in the lobby show none.
        if (admitted.includes(p.participantId())) shown[p.participantId()] = sorted(rosters[i]!);
      });
      return {
        admitted,
        livekit: sorted(
          new Set((members as LivekitMember[]).map((m) => participantOf(m.identity))),
        ),
        shown,
      };
    };

    const started = Date.now();
    const until = started + 62_000;
    const mismatches: { at: number; look: Look }[] = [];
    let compared = 0;
    let changes = 0;
    let checking = true;
    const checker = (async () => {
      let previous = '';
      let lastChange = Date.now();
      while (checking) {
        const tick = Date.now();
        const now = await look();
        const key = JSON.stringify(now);
        if (key !== previous) {
          previous = key;
          lastChange = tick;
        } else if (tick - lastChange >= 2000) {
          compared++;
          const same = (ids: string[]) => JSON.stringify(ids) === JSON.stringify(now.admitted);
          const ok = same(now.livekit) && Object.values(now.shown).every(same);
          if (!ok) mismatches.push({ at: tick - started, look: now });
        }
        await sleep(Math.max(0, 1000 - (Date.now() - tick)));
      }
    })();

    // The churn: each guest in turn is asked to leave and comes back through the link, or
    // leaves by the Leave button and comes back the same way; each time the facilitator admits.
    let round = 0;
    try {
      while (Date.now() < until) {
        const [guest, name] = guests[round % guests.length]!;
        const id = guest.participantId();
        if (round % 4 < 2) {
          await people.remove(id);
          await guest.page.getByTestId('lobby-stepped-out').waitFor({ timeout: 15_000 });
        } else {
          // Leaving: the product's leave command from the page's own session (what a page
          // sends with its CSRF token; the room's Leave button only disconnects this tab).
          expect(await ownCall(guest.page, 'DELETE')).toBe(200);
          await guest.page.getByTestId('lobby').waitFor({ timeout: 15_000 });
        }
        changes++;
        await sleep(3000 + Math.random() * 1000);
        await people.knock(guest.page, name, name);
        await guest.page.getByTestId('lobby-waiting').waitFor({ timeout: 15_000 });
        await sleep(500 + Math.random() * 1000);
        await people.admitAndWait(guest);
        changes++;
        await sleep(3000 + Math.random() * 1000);
        round++;
      }
    } finally {
      checking = false;
      await checker;
      staff.close();
    }

    console.info(
      `roster truth: ${changes} changes, ${compared} settled comparisons over ${Date.now() - started} ms, ${mismatches.length} mismatches`,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(60_000);
    expect(changes).toBeGreaterThanOrEqual(8);
    expect(compared).toBeGreaterThanOrEqual(15);
    expect(mismatches).toEqual([]);
  }, 180_000);
  it('restart: the signal service crashes mid-meeting; media flows on, live channels resume exactly, the door is as it was', async () => {
    const pages = [lee, dad, mia];
    const startIndex = pages.map((p) => p.frames.length);
    // Someone waiting at the door before the crash.
    const gran = await joinByLink(stack.origin, stack.origin, people.link('Gran').token, 'Gran');
    const lobbyIds = () =>
      lee.page.$$eval('[data-testid="lobby-entry"]', (els) =>
        els.map((el) => el.getAttribute('data-participant-id') ?? ''),
      );
    await waitFor(
      async () => (await lobbyIds()).includes(gran.participantId),
      10_000,
      'Gran waiting',
    );
    const before = {
      lobby: sorted(await lobbyIds()),
      rosters: await Promise.all(pages.map(async (p) => sorted(await rosterOf(p.page)))),
      livekit: sorted((await room()).map((m) => m.identity)),
    };
    const socketsBefore = pages.map((p) => Math.max(...p.frames.map((f) => f.socket)));

    // From the crash until every live channel is back, each page keeps receiving audio.
    const samples: number[][] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        samples.push(await Promise.all(pages.map((p) => audioIn(p.page))));
        await sleep(500);
      }
    })();
    await stack.signal.process.kill();
    const killedAt = Date.now();
    await sleep(2000);
    const restartStarted = Date.now();
    await stack.signal.restart();
    console.info(
      `signal down for ${Date.now() - killedAt} ms (restart took ${Date.now() - restartStarted} ms)`,
    );

    // Events right after the restart (most pages are still reconnecting: they must be replayed).
    // (Companion changes: events for everyone that leave the media alone.)
    expect(await ownCall(dad.page, 'PATCH', { companions: ['Mum'] })).toBe(200);
    expect(await ownCall(mia.page, 'PATCH', { companions: ['Sam'] })).toBe(200);
    for (const [i, p] of pages.entries()) {
      await waitFor(
        () => p.frames.some((f) => f.socket > socketsBefore[i]! && f.message.type === 'snapshot'),
        30_000,
        `page ${i} live channel back`,
      );
    }
    sampling = false;
    await sampler;
    expect(samples.length).toBeGreaterThan(6);
    for (let i = 0; i < pages.length; i++) {
      const series = samples.map((x) => x[i]!);
      for (let k = 1; k < series.length; k++) {
        expect(series[k]!, `page ${i} audio, sample ${k}`).toBeGreaterThan(series[k - 1]!);
      }
    }
    // The door and the room are as before; admitting still works.
    expect(sorted(await lobbyIds())).toEqual(before.lobby);
    expect(await Promise.all(pages.map(async (p) => sorted(await rosterOf(p.page))))).toEqual(
      before.rosters,
    );
    expect(sorted((await room()).map((m) => m.identity))).toEqual(before.livekit);
    const admitted = (await people.admit(gran.participantId)) as { seq: number };
    await waitFor(
      async () =>
        (await Promise.all(pages.map((p) => rosterOf(p.page)))).every((r) =>
          r.includes(gran.participantId),
        ),
      10_000,
      'Gran on every roster',
    );

    // Every page saw each event exactly once, in order, with nothing missing: from the last
    // sequence it had before the crash up to the admission's own sequence.
    for (const [i, p] of pages.entries()) {
      const seen = p.frames.slice(0, startIndex[i]).map((f) => f.message.seq ?? -1);
      const base = Math.max(...seen);
      const seqs = p.frames
        .slice(startIndex[i])
        .filter((f) => f.message.type === 'event')
        .map((f) => f.message.seq!);
      const expected = Array.from({ length: admitted.seq - base }, (_, k) => base + 1 + k);
      // Gran's knock, two companion changes and her admission at least.
      expect(expected.length).toBeGreaterThanOrEqual(4);
      expect(seqs, `page ${i}`).toEqual(expected);
    }
  }, 120_000);
});
