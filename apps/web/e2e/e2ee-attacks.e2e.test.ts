import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  databaseExec,
  databaseRows,
  findSecrets,
  freshDatabase,
  launchChromium,
  listParticipants,
  livekitMetadata,
  prepareMeeting,
  setLivekitAttribute,
  startStack,
  writeToneWav,
  type DatabaseTarget,
  type PreparedMeeting,
  type Secret,
  type Stack,
} from '@polyphony/stack';
import {
  BLOCK_OTHERS_KEYS,
  HEARD_DB,
  CAPTURE_E2EE_KEYS,
  SILENT_DB,
  TONE_HZ,
  capturedSecrets,
  hears,
  inboundMedia,
  injectKeys,
  peaksFor,
  tonePeak,
  type CapturedKey,
  type InboundMedia,
} from './e2ee-probe.ts';
import {
  MeetingPages,
  describeMedia,
  sleep,
  waitFor,
  type RoomPage,
  localIdentity,
} from './meeting-pages.ts';

// The attacks issue 15 names, in real Chromium pages against the real web server, signal
// service and livekit-server (docs/security/e2ee.md, "Attacks the tests cover"). Every fake
// microphone plays a 440 Hz tone and every fake camera sends video. Two pages are attackers:
// Eve is admitted (a valid token, a seat, so honest pages send her frames) but her decryptor
// never gets a key from the product (an init script drops them): she stands in for the media
// server and for a replayed token, and later for an accomplice holding only the keys Dad's page
// ever held. Dad's page records every raw key it is given, is removed, and keeps its key ring.

const E2EE_ON = () => {
  try {
    sessionStorage.setItem('pp_e2ee', 'on');
  } catch {
    // about:blank has no storage and no room.
  }
};

describe('end-to-end encryption under attack', () => {
  let logDir: string;
  let database: DatabaseTarget;
  let stack: Stack;
  let stackStopped = false;
  let browser: Browser;
  let meeting: PreparedMeeting;
  let people: MeetingPages;
  let lee: RoomPage;
  let sam: RoomPage;
  let dad: RoomPage;
  let eve: RoomPage;
  let bob: RoomPage | undefined;
  const ids = new Map<RoomPage, string>();
  const pageErrors: string[] = [];

  const connected = (who: RoomPage) =>
    who.page
      .locator('[data-testid="media-status"][data-state="connected"]')
      .waitFor({ timeout: 120_000 });
  /** Every page of this meeting encrypts and records its keys; a saboteur gets none. */
  const open = async (
    path: string,
    cookies: ReadonlyMap<string, string> | null,
    saboteur = false,
  ) => {
    const opened = await people.open(browser, cookies, path);
    const context = opened.page.context();
    await context.addInitScript(E2EE_ON);
    await context.addInitScript(CAPTURE_E2EE_KEYS);
    if (saboteur) await context.addInitScript(BLOCK_OTHERS_KEYS);
    opened.page.on('pageerror', (e) => pageErrors.push(e.message.slice(0, 200)));
    opened.page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text().slice(0, 200));
    });
    await opened.page.reload();
    return opened;
  };
  const guest = async (name: string, saboteur = false): Promise<RoomPage> => {
    const opened = await open('/', null, saboteur);
    await opened.page.goto(`${stack.origin}/join/${people.link(name).token}`);
    await opened.page.getByTestId('join-form').waitFor({ timeout: 90_000 });
    await opened.page.getByTestId('join-name').fill(name);
    await opened.page.getByTestId('join-submit').click();
    await opened.page.waitForURL(`${stack.origin}/m/${meeting.meetingId}`, { timeout: 90_000 });
    await waitFor(() => opened.frames.some((f) => f.message.type === 'snapshot'), 90_000);
    return opened;
  };
  /** Admits a network member; Sam, at the centre, says yes to them. */
  const admitWithConsent = async (who: RoomPage) => {
    const id = who.participantId();
    await people.admit(id);
    const prompt = sam.page.locator(`[data-testid="consent-prompt"][data-participant-id="${id}"]`);
    await prompt.waitFor({ timeout: 180_000 });
    await prompt.getByTestId('consent-yes').click();
    await prompt.waitFor({ state: 'hidden', timeout: 60_000 });
  };
  /** Eve's decryptor, fed every key Dad's page holds before each reading, hears `who`. */
  const hearsWithDadsKeys = async (who: RoomPage, ms = 60_000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      await injectKeys(eve.page, (await capturedSecrets(dad.page)).held);
      const peak = await tonePeak(eve.page, ids.get(who)!);
      if (peak !== null && peak > HEARD_DB) return true;
    }
    return false;
  };
  const sidOf = async (who: RoomPage) => {
    const members = await listParticipants(stack.livekit, meeting.meetingId);
    const sid = members.find((m) => m.identity === ids.get(who))?.sid;
    if (!sid) throw new Error('not in the LiveKit room');
    return sid;
  };
  const allCaptured = async (pages: readonly RoomPage[]): Promise<CapturedKey[]> => {
    const out: CapturedKey[] = [];
    for (const p of pages) {
      const s = await capturedSecrets(p.page);
      out.push(...s.held, ...s.blocked);
    }
    return out;
  };
  /** Fails unless `listener` plays `who`'s track and every reading for `ms` is silence. */
  const hearsNothingFrom = async (
    listener: RoomPage,
    who: RoomPage,
    ms = 5000,
    before?: () => Promise<unknown>,
  ) => {
    // The track is played first (subscribed), so that silence means no key, not no track.
    await waitFor(
      async () => (await tonePeak(listener.page, ids.get(who)!)) !== null,
      60_000,
      'the track is played (subscribed)',
      () => describeMedia(listener.page),
    );
    const peaks = await peaksFor(listener.page, ids.get(who)!, ms, 3, before);
    const played = peaks.filter((p): p is number => p !== null);
    // A reading without the track (a loaded machine's media reconnect) is said, not hidden; the
    // claim is that every reading of a played track is silence, and there are at least three.
    if (played.length < peaks.length)
      console.info(
        `[e2ee-attacks] ${peaks.length - played.length} of ${peaks.length} readings without the track: ${await describeMedia(listener.page)}`,
      );
    expect(played.length, 'readings of the played track').toBeGreaterThanOrEqual(3);
    expect(Math.max(...played), 'the loudest 440 Hz peak (dB)').toBeLessThan(SILENT_DB);
  };

  beforeAll(async () => {
    logDir = mkdtempSync(join(tmpdir(), 'polyphony-e2ee-attacks-'));
    database = await freshDatabase();
    stack = await startStack({ web: true, database, output: join(logDir, 'services.log') });
    meeting = await prepareMeeting(stack.origin, stack.origin, [
      { name: 'Sam', relationship: '', isCentre: true },
      { name: 'Dad', relationship: 'father' },
      { name: 'Eve', relationship: 'friend' },
      { name: 'Bob', relationship: 'brother' },
    ]);
    people = new MeetingPages(stack, meeting);
    browser = await launchChromium({ audioFile: writeToneWav({ frequency: TONE_HZ }) });
    lee = await open(`/staff/meetings/${meeting.meetingId}`, meeting.admin.cookies);
    await lee.page.getByRole('button', { name: 'Join the meeting' }).click();
    await lee.page.getByTestId('in-room').waitFor({ timeout: 60_000 });
    sam = await guest('Sam');
    await people.admit(sam.participantId());
    dad = await guest('Dad');
    await admitWithConsent(dad);
    eve = await guest('Eve', true);
    await admitWithConsent(eve);
    await Promise.all([connected(lee), connected(sam), connected(dad), connected(eve)]).catch(
      async (error: Error) => {
        const states = await Promise.all(
          [lee, sam, dad, eve].map(async (p) => {
            return `${p.page.url()} ${await p.page.evaluate(() => {
              const status = document.querySelector('[data-testid="media-status"]');
              return status ? status.outerHTML : document.body.innerText.slice(0, 400);
            })}`;
          }),
        );
        throw new Error(
          `${error.message}: ${JSON.stringify(states)} ${JSON.stringify(pageErrors)}`,
        );
      },
    );
    for (const p of [lee, sam, dad, eve]) ids.set(p, await localIdentity(p.page));
  }, 400_000);

  afterAll(async () => {
    await browser?.close();
    if (!stackStopped) await stack?.stop();
    await database?.drop();
    if (logDir) rmSync(logDir, { recursive: true, force: true });
  });

  it('a seat with a valid token but no keys hears nothing and decodes no frame; an honest page hears and sees the same senders', async () => {
    // Control: Dad's honest page hears Lee and Sam and decodes their video.
    expect(await hears(dad.page, ids.get(lee)!), 'Dad hears Lee').toBe(true);
    expect(await hears(dad.page, ids.get(sam)!), 'Dad hears Sam').toBe(true);
    const [leeSid, samSid] = [await sidOf(lee), await sidOf(sam)];
    await waitFor(
      async () => ((await inboundMedia(dad.page))[leeSid]?.framesDecoded ?? 0) > 0,
      60_000,
      "Dad decodes Lee's video",
    );
    // Eve is sent Lee's and Sam's frames (subscription permissions allow her seat)...
    // (`before` is the reading that showed them: a second reading taken under load once caught
    // her page between peer connections, with no entry for them.)
    let before: InboundMedia = {};
    await waitFor(
      async () => {
        const m = await inboundMedia(eve.page);
        before = m;
        return (m[leeSid]?.audioBytes ?? 0) > 0 && (m[samSid]?.audioBytes ?? 0) > 0;
      },
      60_000,
      'frames from Lee and Sam reach Eve',
    );
    // ...but has no key: silence, and not one video frame decoded.
    await hearsNothingFrom(eve, lee);
    await hearsNothingFrom(eve, sam);
    const after = await inboundMedia(eve.page);
    console.info(`keyless seat: received ${JSON.stringify(after)}`);
    for (const sid of [leeSid, samSid]) {
      expect(after[sid]!.audioBytes, 'encrypted sound keeps arriving').toBeGreaterThan(
        before[sid]!.audioBytes,
      );
      expect(after[sid]!.framesDecoded, 'video frames decoded without a key').toBe(0);
    }
    // The product did hand her keys (dropped by the saboteur); none reached her decryptor.
    const eveKeys = await capturedSecrets(eve.page);
    expect(eveKeys.blocked.length).toBeGreaterThan(0);
    expect(eveKeys.held.filter((k) => !k.publisher)).toEqual([]);
  }, 300_000);

  it("someone removed who keeps their key ring hears nothing after the rotation (an accomplice's seat with only their keys)", async () => {
    const [leeSid, samSid] = [await sidOf(lee), await sidOf(sam)];
    // Control: with every key Dad's page was given, Eve's decryptor hears Lee and Sam now.
    const dadKeys = (await capturedSecrets(dad.page)).held;
    expect(dadKeys.filter((k) => !k.publisher && k.hex).length).toBeGreaterThan(0);
    expect(await hearsWithDadsKeys(lee), "Eve hears Lee with Dad's keys").toBe(true);
    expect(await hearsWithDadsKeys(sam), "Eve hears Sam with Dad's keys").toBe(true);

    const remaining = [lee, sam, eve];
    const leftAt = Date.now();
    await people.remove(dad.participantId());
    const answeredMs = Date.now() - leftAt;
    // Leave → every remaining sender hands its encryptor a new key of its own.
    const switched = new Map<RoomPage, number>();
    await waitFor(
      async () => {
        for (const p of remaining) {
          if (switched.has(p)) continue;
          const own = (await capturedSecrets(p.page)).held.filter(
            (k) => k.publisher && k.at >= leftAt,
          );
          if (own.length > 0) switched.set(p, own[0]!.at);
        }
        return switched.size === remaining.length;
      },
      30_000,
      'every remaining sender on a new key',
    );
    const rotationMs = Math.max(...switched.values()) - leftAt;
    // Where the time goes, per sender: the relay read without Dad, the new key sent, the switch.
    const dadId = ids.get(dad)!;
    const steps = await Promise.all(
      remaining.map(async (p) => {
        const relay = (await capturedSecrets(p.page)).relay.filter((r) => r.at >= leftAt);
        const saw = relay.find((r) => r.kind === 'read' && !r.keys!.includes(dadId))?.at;
        const sent = relay.find((r) => r.kind === 'wrapped')?.at;
        const ms = (at: number | undefined) => (at === undefined ? '?' : `${at - leftAt}`);
        return `read ${ms(saw)}, sent ${ms(sent)}, switched ${ms(switched.get(p))}`;
      }),
    );
    console.info(
      `rotation: leave → every remaining sender on the new key in ${rotationMs} ms ` +
        `(the removal answered after ${answeredMs} ms; then ms after the leave, per sender: ${steps.join('; ')}; load average ${loadavg()[0]!.toFixed(1)})`,
    );
    expect(rotationMs).toBeLessThan(15_000);

    // Every new sending key is fresh: none is a key Dad's page holds (in whatever slot).
    const dadHex = new Set((await capturedSecrets(dad.page)).held.map((k) => k.hex));
    for (const p of remaining) {
      const fresh = (await capturedSecrets(p.page)).held.filter(
        (k) => k.publisher && k.at >= leftAt,
      );
      expect(fresh.filter((k) => dadHex.has(k.hex)).length, 'new keys Dad holds').toBe(0);
    }
    // Dad's page stays open; whatever it holds by now goes to the accomplice.
    await sleep(3000);
    const dadAll = (await capturedSecrets(dad.page)).held;
    expect(
      dadAll.filter((k) => !k.publisher && k.at >= leftAt),
      'keys Dad was given after the removal',
    ).toEqual([]);
    const before = await inboundMedia(eve.page);
    await hearsNothingFrom(eve, lee, 5000, () => injectKeys(eve.page, dadAll));
    await hearsNothingFrom(eve, sam, 5000, () => injectKeys(eve.page, dadAll));
    const after = await inboundMedia(eve.page);
    for (const sid of [leeSid, samSid]) {
      expect(after[sid]!.audioBytes, 'frames still reach the decryptor').toBeGreaterThan(
        before[sid]!.audioBytes,
      );
    }
    // Control: the same decryptor given the keys the product meant for Eve hears them again.
    await injectKeys(eve.page, (await capturedSecrets(eve.page)).blocked);
    expect(await hears(eve.page, ids.get(lee)!), 'Eve hears Lee with her own keys').toBe(true);
    expect(await hears(eve.page, ids.get(sam)!), 'Eve hears Sam with her own keys').toBe(true);
  }, 300_000);

  it('a newcomer is given no key any sender used before their admission', async () => {
    // Every key a sender encrypted with before the admission (each page's own, set for
    // sending). Pages also hold keys derived ahead from the ones they were given (the ratchet
    // on admission, ADR 0035): never used before, and the key Bob is given is one of them.
    const earlier = new Set(
      (await allCaptured([lee, sam, dad, eve])).flatMap((k) =>
        k.publisher && k.hex ? [k.hex] : [],
      ),
    );
    expect(earlier.size).toBeGreaterThan(3);
    bob = await guest('Bob');
    await admitWithConsent(bob);
    await connected(bob);
    ids.set(bob, await localIdentity(bob.page));
    const bobHears = async (sender: RoomPage) => {
      if (await hears(bob!.page, ids.get(sender)!, 90_000)) return true;
      const slots = (await capturedSecrets(bob!.page)).held
        .filter((k) => k.identity === ids.get(sender))
        .map((k) => k.keyIndex);
      const own = (await capturedSecrets(sender.page)).held.filter((k) => k.publisher).at(-1);
      throw new Error(
        `Bob holds slots ${JSON.stringify(slots)}; the sender sends with ${own?.keyIndex}`,
      );
    };
    expect(await bobHears(lee), 'Bob hears Lee').toBe(true);
    expect(await bobHears(sam), 'Bob hears Sam').toBe(true);
    const given = (await capturedSecrets(bob.page)).held.filter((k) => !k.publisher && k.hex);
    for (const sender of [lee, sam])
      expect(given.some((k) => k.identity === ids.get(sender))).toBe(true);
    expect(
      given.filter((k) => earlier.has(k.hex!)).map((k) => `${k.identity}#${k.keyIndex}`),
      'keys from before the admission',
    ).toEqual([]);
    // Control of the comparison: a key Bob holds for Lee is one Lee encrypts with (the one he
    // was given; those he derived ahead from it are Lee's next ones).
    const forLee = new Set(given.filter((k) => k.identity === ids.get(lee)).map((k) => k.hex));
    await waitFor(
      async () =>
        (await capturedSecrets(lee.page)).held.some((k) => k.publisher && forLee.has(k.hex)),
      30_000,
      "Bob's key for Lee among Lee's own",
    );
  }, 300_000);

  it('no key anywhere it should not be: database, logs, LiveKit metadata and attributes', async () => {
    const pages = [lee, sam, dad, eve, ...(bob ? [bob] : [])];
    const secrets: Secret[] = [];
    const seen = new Set<string>();
    const add = (label: string, hex: string) => {
      if (seen.has(hex)) return;
      seen.add(hex);
      secrets.push({ label, bytes: Buffer.from(hex, 'hex') });
    };
    for (const [n, p] of pages.entries()) {
      const s = await capturedSecrets(p.page);
      for (const k of [...s.held, ...s.blocked]) if (k.hex) add(`media key (page ${n})`, k.hex);
      for (const hex of s.shared) add(`ECDH shared secret (page ${n})`, hex);
      // Private keys cannot be scanned for: they never leave WebCrypto.
      expect(s.privateKeys.length).toBeGreaterThan(0);
      for (const key of s.privateKeys)
        expect(key).toMatchObject({ extractable: false, exportRefused: true });
    }
    const mediaKeys = secrets.filter((s) => s.label.startsWith('media key'));
    expect(mediaKeys.length).toBeGreaterThan(5);
    expect(secrets.length).toBeGreaterThan(mediaKeys.length);

    const lk = await livekitMetadata(stack.livekit, meeting.meetingId);
    expect(lk.length).toBeGreaterThan(pages.length - 1);
    expect(findSecrets(lk, secrets)).toEqual([]);
    // Control: a key planted in an attribute is found.
    const planted = mediaKeys[0]!;
    await setLivekitAttribute(stack.livekit, meeting.meetingId, ids.get(lee)!, {
      key: 'scan-control',
      value: Buffer.from(planted.bytes).toString('base64'),
    });
    const lkPlanted = findSecrets(await livekitMetadata(stack.livekit, meeting.meetingId), secrets);
    expect(lkPlanted.length).toBeGreaterThan(0);
    expect(lkPlanted.every((h) => h.where === `livekit participant ${ids.get(lee)}`)).toBe(true);

    await browser.close();
    await stack.stop();
    stackStopped = true;

    const raw = readFileSync(join(logDir, 'services.log'));
    const log = raw.toString('utf8');
    expect(log).toContain('"service":"signal"');
    expect(log.toLowerCase()).toContain('participant');
    expect(findSecrets([{ where: 'services.log', text: log, raw }], secrets)).toEqual([]);
    const plantLine = `\n{"leak":"${Buffer.from(planted.bytes).toString('hex').toUpperCase()}"}`;
    expect(
      findSecrets([{ where: 'services.log + plant', text: log + plantLine }], secrets).map(
        (h) => h.form,
      ),
    ).toContain('hex');

    const rows = await databaseRows(database);
    const mailbox = rows.find((r) => r.where.endsWith('.e2ee_mailbox'));
    expect(mailbox?.text.length ?? 0, 'the wrapped copies are there to be scanned').toBeGreaterThan(
      0,
    );
    expect(
      rows.find((r) => r.where.endsWith('.e2ee_device_keys'))?.text.length ?? 0,
    ).toBeGreaterThan(0);
    expect(findSecrets(rows, secrets)).toEqual([]);
    // Control: a key planted in a table of its own, as bytes, is found in the same scan.
    const hex = Buffer.from(planted.bytes).toString('hex');
    await databaseExec(
      database,
      `CREATE TABLE scan_control (note bytea); INSERT INTO scan_control VALUES (decode('${hex}', 'hex'))`,
    );
    const dbPlanted = findSecrets(await databaseRows(database), secrets);
    expect(dbPlanted.map((h) => `${h.where} ${h.form}`)).toEqual(['db public.scan_control hex']);
  }, 300_000);
});
