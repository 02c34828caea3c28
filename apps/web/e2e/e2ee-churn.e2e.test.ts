import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  joinByLink,
  launchChromium,
  prepareMeeting,
  startStack,
  writeToneWav,
  type GuestSession,
  type PreparedMeeting,
  type Stack,
} from '@polyphony/stack';
import {
  barControl,
  describeMedia,
  MeetingPages,
  sleep,
  waitFor,
  type RoomPage,
  localIdentity,
} from './meeting-pages.ts';
import { hears, tonePeaks } from './tone.ts';

// End-to-end encryption under churn (issue 15, ADR 0035), in real Chromium pages against the
// real web server, signal service and livekit-server. Three steady pages — the facilitator and
// two network members, each browser's fake microphone playing its own tone — then ten joins
// and leaves within about five seconds (two pages in the facilitator's browser and eight guests
// over HTTP that post a device key, so that every page rotates its key for each) and a screen
// share by the facilitator started and stopped. Afterwards every steady page sends with a key
// given only to the other two, hears both of them decrypted (each at its own frequency), and
// shows no "can't decrypt yet". The time from the end of the churn is printed; the bound
// asserted is generous (a loaded machine must pass).

const TONE = { lee: 440, dad: 620, mum: 820 } as const;
type Steady = keyof typeof TONE;
/** The target on an idle machine; printed beside the measured figure. */
const TARGET_MS = 5000;
/** What the test asserts: a loaded machine with other browser tests running must pass. */
const BOUND_MS = 30_000;
const CHURN_PAGES = ['Pia', 'Pekka'] as const;
const CHURN_GUESTS = ['G1', 'G2', 'G3', 'G4', 'G5', 'G6', 'G7', 'G8'] as const;

/**
 * Per remote audio element: what its track's inbound stream received and decoded (from the
 * peer connections every test page keeps in `window.__pcs`, see room-probe.ts).
 */
async function inboundAudio(page: Page): Promise<string> {
  try {
    return JSON.stringify(
      await page.evaluate(async () => {
        const pcs = (window as unknown as { __pcs?: RTCPeerConnection[] }).__pcs ?? [];
        const byTrack = new Map<string, Record<string, unknown>>();
        for (const pc of pcs) {
          if (pc.connectionState === 'closed') continue;
          for (const stat of (await pc.getStats()).values()) {
            if (stat.type !== 'inbound-rtp' || stat.kind !== 'audio') continue;
            byTrack.set(stat.trackIdentifier, {
              packets: stat.packetsReceived,
              bytes: stat.bytesReceived,
              energy: Number(stat.totalAudioEnergy ?? 0).toFixed(4),
              samples: stat.totalSamplesReceived,
              concealed: stat.concealedSamples,
            });
          }
        }
        return [...document.querySelectorAll<HTMLAudioElement>('[data-testid="remote-audio"]')].map(
          (el) => {
            const track = (el.srcObject as MediaStream | null)?.getAudioTracks()[0];
            return {
              identity: el.getAttribute('data-identity'),
              inbound: track ? (byTrack.get(track.id) ?? 'no stats') : 'no track',
            };
          },
        );
      }),
    );
  } catch (error) {
    return `stats not readable: ${String(error)}`;
  }
}

/** A real X25519 public key (raw, base64url), as a page would post it. */
async function devicePublicKey(): Promise<string> {
  const pair = (await crypto.subtle.generateKey({ name: 'X25519' }, true, [
    'deriveBits',
  ])) as CryptoKeyPair;
  return Buffer.from(await crypto.subtle.exportKey('raw', pair.publicKey)).toString('base64url');
}

/** What a page's key manager shows (data attributes of the security code). */
async function keyState(page: Page) {
  const code = page.getByTestId('security-code');
  const [generation, to, epoch] = await Promise.all([
    code.getAttribute('data-sending-generation', { timeout: 30_000 }),
    code.getAttribute('data-sending-to', { timeout: 30_000 }),
    code.getAttribute('data-key-epoch', { timeout: 30_000 }),
  ]);
  return {
    generation: Number(generation ?? 0),
    to: (to ?? '').split(' ').filter(Boolean).sort(),
    /** Which key manager: a media reconnect starts a new one, its generations from 1 again. */
    epoch: Number(epoch ?? 0),
  };
}

const ENCRYPTED = { encrypted: true } as const;

describe('end-to-end encryption under churn', () => {
  let stack: Stack;
  const browsers: Browser[] = [];
  let meeting: PreparedMeeting;
  let people: MeetingPages;
  const steady = {} as Record<Steady, RoomPage>;
  const ids = {} as Record<Steady, string>;

  const connected = (p: RoomPage) =>
    p.page
      .locator('[data-testid="media-status"][data-state="connected"]')
      .waitFor({ timeout: 90_000 });
  /** Opens the link and knocks; the page waits in the lobby. */
  const knock = async (browser: Browser, name: string): Promise<RoomPage> => {
    const opened = await people.open(browser, null, '/', ENCRYPTED);
    await opened.page.goto(`${stack.origin}/join/${people.link(name).token}`);
    await opened.page.getByTestId('join-form').waitFor({ timeout: 90_000 });
    await opened.page.getByTestId('join-name').fill(name);
    await opened.page.getByTestId('join-submit').click();
    await opened.page.waitForURL(`${stack.origin}/m/${meeting.meetingId}`, { timeout: 90_000 });
    await waitFor(() => opened.frames.some((f) => f.message.type === 'snapshot'), 90_000);
    return opened;
  };

  beforeAll(async () => {
    stack = await startStack({ web: true });
    // No centre person: the facilitator's admission lets a network member in (no consent step).
    meeting = await prepareMeeting(stack.origin, stack.origin, [
      { name: 'Dad', relationship: 'father' },
      { name: 'Mum', relationship: 'mother' },
      ...[...CHURN_PAGES, ...CHURN_GUESTS].map((name) => ({ name, relationship: 'friend' })),
    ]);
    people = new MeetingPages(stack, meeting);
    const [leeBrowser, dadBrowser, mumBrowser] = await Promise.all(
      (['lee', 'dad', 'mum'] as const).map((who) =>
        launchChromium({ audioFile: writeToneWav({ frequency: TONE[who] }) }),
      ),
    );
    browsers.push(leeBrowser!, dadBrowser!, mumBrowser!);
    steady.lee = await people.facilitator(leeBrowser!, ENCRYPTED);
    steady.dad = await knock(dadBrowser!, 'Dad');
    await people.admit(steady.dad.participantId());
    steady.mum = await knock(mumBrowser!, 'Mum');
    await people.admit(steady.mum.participantId());
    await Promise.all(Object.values(steady).map(connected));
    for (const who of Object.keys(TONE) as Steady[])
      ids[who] = await localIdentity(steady[who].page);
  }, 400_000);

  afterAll(async () => {
    await Promise.all(browsers.map((b) => b.close()));
    await stack?.stop();
  });

  /** The other steady pages' frequencies: a speaker is heard above them. */
  const others = (who: Steady) =>
    (Object.keys(TONE) as Steady[]).filter((w) => w !== who).map((w) => TONE[w]);
  /** Which pairs of steady pages did not hear each other (each at its own frequency), and why. */
  const everyoneHears = async (ms: number) => {
    const pairs = (Object.keys(TONE) as Steady[]).flatMap((listener) =>
      (Object.keys(TONE) as Steady[])
        .filter((speaker) => speaker !== listener)
        .map((speaker) => ({ listener, speaker })),
    );
    const results = await Promise.all(
      pairs.map(async ({ listener, speaker }) => ({
        pair: `${listener} hears ${speaker}`,
        heard: await hears(steady[listener].page, ids[speaker], TONE[speaker], ms, others(speaker)),
      })),
    );
    const missed = results.filter((r) => !r.heard).map((r) => r.pair);
    // What the detector reads for each pair missed: its own frequency first, then the others'.
    const peaks = await Promise.all(
      pairs
        .filter((_, i) => !results[i]!.heard)
        .map(async ({ listener, speaker }) => {
          const dB = await tonePeaks(steady[listener].page, ids[speaker], [
            TONE[speaker],
            ...others(speaker),
          ]).catch(() => null);
          return `${listener}←${speaker} ${dB ? dB.map((d) => d.toFixed(0)).join('/') : 'no sound'} dB`;
        }),
    );
    // On a miss, what each page's media, keys and inbound audio looked like (identities and
    // numbers only), in the failure's own message: CI shows the failure, not always the
    // output before it.
    let state = '';
    if (missed.length > 0) {
      const pages: string[] = [];
      for (const who of Object.keys(TONE) as Steady[])
        pages.push(
          `${who} (${ids[who]}): ${await describeMedia(steady[who].page)}; ` +
            `inbound audio ${await inboundAudio(steady[who].page)}`,
        );
      state = `not heard: ${missed.join(', ')} (peaks ${peaks.join(', ')})\n${pages.join('\n')}`;
      console.info(`[e2ee-churn] ${state}`);
    }
    return { missed, state };
  };

  it('the steady pages hear each other decrypted, each at its own frequency (the control: not at another’s)', async () => {
    const { missed, state } = await everyoneHears(120_000);
    expect(missed, state).toEqual([]);
    // The detector tells the tones apart: Dad is not heard at Mum's frequency (his sound
    // there is far below his own peak), and Mum is heard at hers.
    expect(await hears(steady.lee.page, ids.dad, TONE.mum, 3000, [TONE.dad])).toBe(false);
    const [dadAtDad, dadAtMum] = (await tonePeaks(steady.lee.page, ids.dad, [TONE.dad, TONE.mum]))!;
    console.info(
      `Lee's page, Dad's sound: ${dadAtDad!.toFixed(0)} dB at ${TONE.dad} Hz, ${dadAtMum!.toFixed(0)} dB at ${TONE.mum} Hz`,
    );
    expect(dadAtDad! - dadAtMum!).toBeGreaterThan(20);
  }, 180_000);

  it('ten joins and leaves in about five seconds and a screen share: afterwards everyone decrypts everyone, no tile left undecryptable', async () => {
    const before = await Promise.all(
      (Object.keys(TONE) as Steady[]).map((w) => keyState(steady[w].page)),
    );
    // Waiting in the lobby before the churn: two pages (one browser, two contexts) and eight
    // guests over HTTP, each with a device key of its own ready to post once admitted.
    const pages = [];
    for (const name of CHURN_PAGES) pages.push(await knock(browsers[0]!, name));
    const guests: { session: GuestSession; publicKey: string }[] = [];
    for (const name of CHURN_GUESTS) {
      const session = await joinByLink(stack.origin, stack.origin, people.link(name).token, name);
      guests.push({ session, publicKey: await devicePublicKey() });
    }
    const share = await barControl(steady.lee.page, 'share-screen');
    await expect.poll(() => share.isEnabled(), { timeout: 30_000 }).toBe(true);

    // What each steady page encrypts with during the churn, sampled (identities and numbers).
    const seen = (Object.keys(TONE) as Steady[]).map(() => new Set<string>());
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        for (const [i, w] of (Object.keys(TONE) as Steady[]).entries()) {
          const k = await keyState(steady[w].page).catch(() => null);
          if (k) seen[i]!.add(`${k.generation}→${k.to.length}`);
        }
        await sleep(500);
      }
    })();
    const churnStart = Date.now();
    const at = (ms: number) => sleep(Math.max(0, churnStart + ms - Date.now()));
    const guestJoinsAndLeaves = guests.map(async ({ session, publicKey }, i) => {
      await at(i * 250);
      await people.admit(session.participantId);
      await session.client.call('POST', `/api/meetings/${meeting.meetingId}/e2ee/device-key`, {
        admission: 1,
        curve: 'X25519',
        publicKey,
      });
      await at(2500 + i * 250);
      // The last guest stays until a steady page has given it a key: on a loaded machine the
      // steady pages may read the relay only after the others have gone, and the churn must
      // be seen by at least one of them (the rotation is what it tests).
      if (i === guests.length - 1) {
        const identity = `${session.participantId}.1`;
        await waitFor(
          async () => {
            for (const w of Object.keys(TONE) as Steady[]) {
              const k = await keyState(steady[w].page).catch(() => null);
              if (k?.to.includes(identity)) return true;
            }
            return false;
          },
          BOUND_MS,
          'a steady page sending to the last churning guest',
        );
      }
      await people.remove(session.participantId);
    });
    const pageJoinsAndLeaves = pages.map(async (p, i) => {
      await at(i * 400);
      await people.admit(p.participantId());
      await at(3500 + i * 500);
      await people.remove(p.participantId());
    });
    // Started during the churn and stopped once on (starting can take long on a loaded machine).
    const pressed = (value: 'true' | 'false') =>
      expect.poll(() => share.getAttribute('aria-pressed'), { timeout: 90_000 }).toBe(value);
    const screenShare = (async () => {
      await at(500);
      await share.click();
      await pressed('true').catch(async (error: unknown) => {
        const failed = await steady.lee.page.getByTestId('share-screen-failed').count();
        throw new Error(`the screen share did not start (failed shown: ${failed})`, {
          cause: error,
        });
      });
      await at(3500);
      await share.click();
      await pressed('false');
    })();
    await Promise.all([...guestJoinsAndLeaves, ...pageJoinsAndLeaves, screenShare]);
    const churnEnd = Date.now();
    sampling = false;
    await sampler;
    console.info(
      `during the churn, each steady page's key (generation→recipients): ${seen
        .map((states) => [...states].join(' '))
        .join(' | ')}`,
    );
    console.info(`churn: 10 joins and leaves and a screen share took ${churnEnd - churnStart} ms`);

    // Every steady page sends with a key given to the other two only (no churner holds it).
    const otherIds = (who: Steady) =>
      (Object.keys(TONE) as Steady[])
        .filter((w) => w !== who)
        .map((w) => ids[w])
        .sort();
    await waitFor(
      async () => {
        for (const who of Object.keys(TONE) as Steady[]) {
          const state = await keyState(steady[who].page);
          if (JSON.stringify(state.to) !== JSON.stringify(otherIds(who))) return false;
        }
        return true;
      },
      BOUND_MS,
      'every steady page on a key for the steady members only',
    );
    const keysSettledMs = Date.now() - churnEnd;
    // …and hears the other two decrypted on it.
    const heard = await everyoneHears(BOUND_MS);
    const heardMs = Date.now() - churnEnd;
    expect(heard.missed, heard.state).toEqual([]);
    const after = await Promise.all(
      (Object.keys(TONE) as Steady[]).map((w) => keyState(steady[w].page)),
    );
    const made = after.map((a, i) =>
      a.epoch === before[i]!.epoch ? `${a.generation - before[i]!.generation}` : 'reconnected',
    );
    console.info(
      `after the churn: keys settled in ${keysSettledMs} ms, everyone heard everyone ` +
        `${heardMs} ms after the churn ended (target ${TARGET_MS} ms on an idle machine; ` +
        `asserted ${BOUND_MS} ms); keys made per page during it: ` +
        `${made.join(', ')}`,
    );
    expect(heardMs).toBeLessThan(BOUND_MS);
    // The churn made every page rotate, and the rotations were held together (not 20 each).
    // A page whose media reconnected meanwhile (a loaded machine) started a new key manager:
    // its count starts again and says nothing about holding rotations together. A page that
    // read the relay only while no churner was in (a busy page: the facilitator's, sharing its
    // screen beside two churning pages in its browser) never gave a churner its key and rightly
    // made none. The churn was seen (at least one page rotated: the last guest waited for it),
    // and never one key per change.
    const counted = after.flatMap((a, i) =>
      a.epoch === before[i]!.epoch ? [a.generation - before[i]!.generation] : [],
    );
    expect(Math.max(...counted)).toBeGreaterThanOrEqual(1);
    for (const n of counted) expect(n).toBeLessThan(20);

    // No steady tile stays "can't decrypt yet" (errors from the switch clear; keys are held).
    const steadyIds = Object.values(ids);
    await waitFor(
      async () => {
        for (const who of Object.keys(TONE) as Steady[]) {
          const flagged = await steady[who].page
            .getByTestId('undecryptable')
            .evaluateAll((els) => els.map((el) => el.getAttribute('data-identity') ?? ''));
          if (flagged.some((id) => steadyIds.includes(id))) return false;
        }
        return true;
      },
      BOUND_MS,
      'no steady tile undecryptable',
    );
    await Promise.all(pages.map((p) => p.page.context().close()));
  }, 400_000);
});
