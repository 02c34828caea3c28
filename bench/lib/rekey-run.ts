// The rekey measured in real Chromium (`pnpm bench rekey`, ADR 0035): the product's pages in
// one meeting, end-to-end encryption on, audio only, and as many key-only participants as make
// up the meeting (lib/key-clients.ts: the pages' key manager in Node, no media); a guest page
// is asked to leave, and the time runs from the removal until every remaining member encrypts
// with a key given only to the remaining members. Each page shows the key it sends with (its
// generation and to whom it was given) on the security code; an observer in the page stamps
// the moment that changes, so polling costs nothing and no clock but the machine's is read.
import {
  launchChromium,
  prepareMeeting,
  writeToneWav,
  type PreparedMeeting,
  type Stack,
} from '@polyphony/stack';
import { openKeyClient, type KeyClient } from './key-clients.ts';

type Browser = Awaited<ReturnType<typeof launchChromium>>;
type BrowserContext = Awaited<ReturnType<Browser['newContext']>>;
type Page = Awaited<ReturnType<Browser['newPage']>>;

const E2EE_ON = (noiseKey: string) => {
  try {
    sessionStorage.setItem('pp_e2ee', 'on');
    // The fake microphones play a steady tone, which the suppressor rightly takes for noise.
    sessionStorage.setItem(noiseKey, 'off');
  } catch {
    // about:blank has no storage and no room.
  }
};

/**
 * In the page: resolves with Date.now() once the key it sends with was given to none of
 * `gone` (checked at once, then on each change of the security code's attributes).
 */
const SWITCHED_AWAY_FROM = `(gone) => new Promise((resolve) => {
  const check = () => {
    const code = document.querySelector('[data-testid="security-code"]');
    const to = (code?.getAttribute('data-sending-to') ?? '').split(' ').filter(Boolean);
    if (!code || to.length === 0 || to.includes(gone)) return false;
    resolve(Date.now());
    return true;
  };
  if (check()) return;
  const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
  observer.observe(document.body, { attributes: true, subtree: true, childList: true });
})`;

export interface RekeyPage {
  readonly page: Page;
  readonly name: string;
  participantId: string;
  /** What the page did with the relay and heard on its live channel (Date.now(), Node side). */
  readonly trace: TraceEvent[];
}

/**
 * One step of a page's rotation: a live-channel frame (roster or `keys` nudge), a relay read
 * (whose device keys it listed), a relay request answered, or wrapped copies sent.
 */
export interface TraceEvent {
  readonly at: number;
  readonly kind: 'live' | 'read' | 'sent';
  readonly keys?: readonly string[];
}

/** Where one remaining sender's time went after a removal (ms after it; null: not seen). */
export interface SenderPhases {
  /** A page in Chromium, or a key-only participant in Node. */
  readonly kind: 'page' | 'key client';
  /** The first live-channel frame after the removal. */
  readonly live: number | null;
  /** The first relay read that no longer listed the removed identity. */
  readonly read: number | null;
  /** The first wrapped copies sent after that read. */
  readonly sent: number | null;
  /** Encrypting with a key the removed identity was not given. */
  readonly switched: number;
}

/** Records the page's relay reads and posts and its live-channel frames into `trace`. */
function traceRelay(page: Page, trace: TraceEvent[]): void {
  page.on('requestfinished', (request) => {
    const url = request.url();
    if (url.endsWith('/e2ee/wrapped-keys') && request.method() === 'POST') {
      trace.push({ at: Date.now(), kind: 'sent' });
    } else if (/\/api\/meetings\/[^/]+\/e2ee$/.test(url) && request.method() === 'GET') {
      const at = Date.now();
      void request
        .response()
        .then((r) => r?.json() as Promise<{ keys?: { identity: string }[] }> | undefined)
        .then((body) => {
          if (body?.keys) trace.push({ at, kind: 'read', keys: body.keys.map((k) => k.identity) });
        })
        .catch(() => undefined);
    }
  });
  page.on('websocket', (ws) => {
    if (!ws.url().includes('/live')) return;
    ws.on('framereceived', () => trace.push({ at: Date.now(), kind: 'live' }));
  });
}

export interface RekeyRoom {
  readonly meeting: PreparedMeeting;
  readonly pages: readonly RekeyPage[];
  readonly keyClients: readonly KeyClient[];
  close(): Promise<void>;
}

/** A page or a key client, as the measurement reads them. */
interface Member {
  readonly kind: SenderPhases['kind'];
  readonly trace: TraceEvent[];
  identity(): Promise<string>;
  sendingTo(): Promise<readonly string[]>;
  switchedAwayFrom(gone: string): Promise<number>;
}

const pageMember = (p: RekeyPage): Member => ({
  kind: 'page',
  trace: p.trace,
  identity: () => identityOf(p.page),
  sendingTo: () => sendingTo(p.page).catch(() => []),
  switchedAwayFrom: (gone) =>
    p.page.evaluate(`(${SWITCHED_AWAY_FROM})(${JSON.stringify(gone)})`) as Promise<number>,
});

const clientMember = (c: KeyClient): Member => ({
  kind: 'key client',
  trace: c.trace,
  identity: () => Promise.resolve(c.identity),
  sendingTo: () => Promise.resolve(c.sendingTo()),
  switchedAwayFrom: (gone) => c.switchedAwayFrom(gone),
});

const membersOf = (room: RekeyRoom): Member[] => [
  ...room.pages.map(pageMember),
  ...room.keyClients.map(clientMember),
];

const identityOf = async (page: Page): Promise<string> =>
  (await page.getByTestId('local-tile').getAttribute('data-identity', { timeout: 120_000 })) ?? '';

const sendingTo = async (page: Page): Promise<string[]> =>
  ((await page.getByTestId('security-code').getAttribute('data-sending-to')) ?? '')
    .split(' ')
    .filter(Boolean);

/**
 * `participants` members: `pages` pages (the facilitator and guests), `perBrowser` contexts to
 * each Chromium, and the rest key clients.
 */
export async function openRekeyRoom(
  stack: Stack,
  o: { participants: number; pages: number; perBrowser: number },
): Promise<RekeyRoom> {
  const guests = Array.from({ length: o.participants - 1 }, (_, i) => `Relative ${i + 1}`);
  const meeting = await prepareMeeting(
    stack.origin,
    stack.origin,
    guests.map((name) => ({ name, relationship: 'family' })),
  );
  const browsers: Browser[] = [];
  let used = o.perBrowser;
  const newContext = async (): Promise<BrowserContext> => {
    if (used >= o.perBrowser) {
      browsers.push(
        await launchChromium({
          audioFile: writeToneWav({ frequency: 440 }),
          permissionsFromContext: true,
        }),
      );
      used = 0;
    }
    used++;
    // Audio only: the camera is refused, the microphone allowed.
    const context = await browsers.at(-1)!.newContext({ permissions: ['microphone'] });
    await context.addInitScript(E2EE_ON, `pp_noise:${meeting.meetingId}`);
    return context;
  };
  const { admin, meetingId } = meeting;
  const pages: RekeyPage[] = [];

  const staff = await newContext();
  await staff.addCookies(
    [...admin.cookies].map(([name, value]) => ({ name, value, url: stack.origin })),
  );
  const lee = await staff.newPage();
  const leeTrace: TraceEvent[] = [];
  traceRelay(lee, leeTrace);
  await lee.goto(`${stack.origin}/staff/meetings/${meetingId}`);
  await lee.getByRole('button', { name: 'Join the meeting' }).click({ timeout: 60_000 });
  await lee.getByTestId('in-room').waitFor({ timeout: 60_000 });
  pages.push({ page: lee, name: 'Dr Lee', participantId: '', trace: leeTrace });

  for (const name of guests.slice(0, o.pages - 1)) {
    const link = meeting.links.find((l) => l.name === name)!;
    const page = await (await newContext()).newPage();
    const trace: TraceEvent[] = [];
    traceRelay(page, trace);
    const knownAs = participantIdOf(page);
    await page.goto(`${stack.origin}/join/${link.token}`);
    await page.getByTestId('join-name').fill(name, { timeout: 60_000 });
    await page.getByTestId('join-submit').click();
    await page.waitForURL(`${stack.origin}/m/${meetingId}`, { timeout: 60_000 });
    const participantId = await knownAs;
    await admin.call('POST', `/api/meetings/${meetingId}/participants/${participantId}/admit`);
    pages.push({ page, name, participantId, trace });
  }
  const keyClients: KeyClient[] = [];
  const admit = async (participantId: string) => {
    await admin.call('POST', `/api/meetings/${meetingId}/participants/${participantId}/admit`);
  };
  for (const name of guests.slice(o.pages - 1)) {
    const link = meeting.links.find((l) => l.name === name)!;
    keyClients.push(await openKeyClient(stack, meetingId, link, admit));
  }
  return {
    meeting,
    pages,
    keyClients,
    async close() {
      for (const c of keyClients) c.close();
      for (const b of browsers) await b.close().catch(() => undefined);
    },
  };
}

/** Waits until every member sends with a key given to all the others (the room is settled). */
export async function settled(room: RekeyRoom, timeoutMs = 180_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  const members = membersOf(room);
  for (;;) {
    const ids = await Promise.all(members.map((m) => m.identity()));
    const ok = await Promise.all(
      members.map(async (m, i) => {
        const to = new Set(await m.sendingTo());
        return ids.every((id, j) => j === i || to.has(id));
      }),
    );
    if (ok.every(Boolean)) return;
    if (Date.now() > end) throw new Error('the room did not settle on one key per sender');
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Removes `leaving` (a page) and returns, per remaining member, how long after the removal it
 * encrypted with a key the removed identity was not given, with where the time went (ms).
 */
export async function measureRemoval(
  room: RekeyRoom,
  leaving: RekeyPage,
): Promise<readonly SenderPhases[]> {
  const { admin, meetingId } = room.meeting;
  const gone = await identityOf(leaving.page);
  const remaining = membersOf(room).filter((_, i) => room.pages[i] !== leaving);
  const switched = remaining.map((m) => m.switchedAwayFrom(gone));
  const t0 = Date.now();
  await admin.call(
    'POST',
    `/api/meetings/${meetingId}/participants/${leaving.participantId}/remove`,
  );
  const at = await Promise.all(switched);
  // A read's body is parsed after the request ends: give the last ones a moment to land.
  await new Promise((r) => setTimeout(r, 200));
  return remaining.map((p, i) => {
    const after = p.trace.filter((e) => e.at >= t0);
    const since = (e: TraceEvent | undefined) => (e ? Math.max(0, e.at - t0) : null);
    const read = after.find((e) => e.kind === 'read' && !e.keys?.includes(gone));
    return {
      kind: p.kind,
      live: since(after.find((e) => e.kind === 'live')),
      read: since(read),
      sent: since(read && after.find((e) => e.kind === 'sent' && e.at >= read.at)),
      switched: Math.max(0, at[i]! - t0),
    };
  });
}

/** Lets the removed page back in (a new admission, a new identity and device key). */
export async function admitAgain(room: RekeyRoom, page: RekeyPage): Promise<void> {
  const { admin, meetingId } = room.meeting;
  await admin.call('POST', `/api/meetings/${meetingId}/participants/${page.participantId}/admit`);
  await page.page
    .locator('[data-testid="media-status"][data-state="connected"]')
    .waitFor({ timeout: 120_000 });
}

/** Resolves with the participant id the page's live channel names in its first snapshot. */
function participantIdOf(page: Page): Promise<string> {
  return new Promise((resolve) => {
    page.on('websocket', (ws) => {
      if (!ws.url().includes('/live')) return;
      ws.on('framereceived', ({ payload }) => {
        try {
          const message = JSON.parse(String(payload)) as { me?: { participantId?: string } };
          if (message.me?.participantId) resolve(message.me.participantId);
        } catch {
          // not a live message
        }
      });
    });
  });
}
