import { networkInterfaces } from 'node:os';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LOOPBACK,
  READ_ICE_STATS,
  captureIce,
  socketsOf,
  startStack,
  type IceStats,
  type SeededMeeting,
  type Stack,
} from '@polyphony/stack';
import { openMeetingPage, waitForMedia, type OpenedPage } from './fixtures.ts';

// Nothing leaves the deployment, and TURN works (issue 19, ADR 0019). Two real Chromium pages
// on the product's meeting page, through the real web server, signal service and livekit-server
// (with its embedded TURN on loopback): the ICE servers LiveKit hands the pages and every
// candidate the connections use are the stack's own on 127.0.0.1; and with relay-only ICE, as
// on a network where only TURN gets through, audio and video still flow both ways.

interface IceRecord {
  configs: { iceTransportPolicy: string; urls: string[] }[];
  candidates: string[];
}

const iceRecord = (page: Page) => page.evaluate('window.__ice') as Promise<IceRecord>;
const iceStats = (page: Page) => page.evaluate(READ_ICE_STATS) as Promise<IceStats[]>;

/** "stun:127.0.0.1:3478", "turn:127.0.0.1:3478?transport=udp" → "127.0.0.1". */
function hostOf(url: string): string {
  const rest = url.replace(/^(stuns?|turns?):/, '').replace(/\?.*$/, '');
  return rest.startsWith('[')
    ? rest.slice(1, rest.indexOf(']'))
    : rest.slice(0, rest.lastIndexOf(':'));
}

/** This machine's own addresses: a host candidate may name them (they go only to LiveKit). */
const ownAddresses = new Set(
  Object.values(networkInterfaces())
    .flat()
    .map((i) => i?.address)
    .filter((a): a is string => Boolean(a)),
);

async function mediaBothWays(pages: readonly OpenedPage[]): Promise<void> {
  for (const { page } of pages) {
    await page.waitForSelector('[data-testid="remote-tile"]', { timeout: 30_000 });
    const { before, now } = await waitForMedia(
      page,
      (b, n) => n.audioBytes > b.audioBytes + 2000 && n.videoFramesDecoded > b.videoFramesDecoded,
      60_000,
    );
    expect(now.audioBytes).toBeGreaterThan(before.audioBytes);
    expect(now.videoFramesDecoded).toBeGreaterThan(before.videoFramesDecoded);
  }
}

/** Waits until every open connection of `page` has chosen a candidate pair, and returns them. */
async function connected(page: Page): Promise<IceStats[]> {
  let stats: IceStats[] = [];
  await expect
    .poll(
      async () => {
        stats = await iceStats(page);
        return stats.length > 0 && stats.every((pc) => pc.selected.length > 0);
      },
      { timeout: 60_000, interval: 500 },
    )
    .toBe(true);
  return stats;
}

describe('ICE: only the deployment’s own servers and addresses', () => {
  let stack: Stack<SeededMeeting>;
  let pages: OpenedPage[] = [];

  async function open(forceRelay: boolean): Promise<OpenedPage[]> {
    await closePages(); // one page per participant at a time
    const [lee, sam] = stack.seeded!.participants;
    const script = captureIce({ forceRelay });
    const meetingId = stack.seeded!.meetingId;
    pages = [
      await openMeetingPage(stack.origin, meetingId, lee!.sessionToken, 440, script),
      await openMeetingPage(stack.origin, meetingId, sam!.sessionToken, 660, script),
    ];
    return pages;
  }

  async function closePages(): Promise<void> {
    for (const p of pages) await p.close();
    pages = [];
  }

  beforeAll(async () => {
    stack = await startStack<SeededMeeting>({
      web: true,
      seed: {
        participants: [
          { displayName: 'Dr Lee', role: 'facilitator' },
          { displayName: 'Sam', role: 'centre' },
        ],
      },
    });
  });

  afterAll(async () => {
    await closePages();
    await stack?.stop();
  });

  it('livekit-server listens on 127.0.0.1 only', () => {
    const listening = socketsOf(stack.livekit.process.pid!).filter((s) => s.listening);
    expect(listening.map((s) => s.port)).toEqual(
      expect.arrayContaining([
        stack.livekit.ports.port,
        stack.livekit.ports.udpPort,
        stack.livekit.ports.turnUdpPort,
      ]),
    );
    for (const s of listening) expect(`${s.protocol} ${s.address}`).toMatch(/ 127\.0\.0\.1$/);
  });

  it('the pages are offered only the stack’s STUN/TURN and connect over loopback', async () => {
    await open(false);
    await mediaBothWays(pages);
    for (const { page } of pages) {
      const record = await iceRecord(page);
      expect(record.configs.length).toBeGreaterThan(0);
      const urls = record.configs.flatMap((c) => c.urls);
      // LiveKit offers its own STUN and TURN: the embedded TURN server's UDP port.
      expect(urls).toContain(`turn:${LOOPBACK}:${stack.livekit.ports.turnUdpPort}?transport=udp`);
      for (const url of urls) expect(hostOf(url)).toBe(LOOPBACK);

      // Candidates the page gathered: its own host addresses, or reflexive/relayed through the
      // stack's server (on loopback); nothing learnt from anyone else.
      expect(record.candidates.length).toBeGreaterThan(0);
      for (const line of record.candidates) {
        const [, , , , address, , , type] = line.replace(/^candidate:/, '').split(' ');
        if (type === 'host')
          expect(ownAddresses.has(address!) || address!.endsWith('.local')).toBe(true);
        else expect(address).toBe(LOOPBACK);
      }

      // The server's candidates and the pair every connection chose: loopback at both ends.
      for (const pc of await connected(page)) {
        expect(pc.remote.length).toBeGreaterThan(0);
        for (const c of pc.remote) expect(c.address).toBe(LOOPBACK);
        for (const c of pc.local.filter((l) => l.candidateType !== 'host')) {
          expect(c.address).toBe(LOOPBACK);
        }
        for (const { local, remote } of pc.selected) {
          // Chromium may pair its host candidate on this machine's own address with LiveKit's
          // 127.0.0.1: the kernel delivers that locally (over lo), it never leaves the machine.
          expect(local.address === LOOPBACK || ownAddresses.has(local.address)).toBe(true);
          expect(remote.address).toBe(LOOPBACK);
        }
      }
    }
  });

  it('with relay-only ICE, media flows both ways through LiveKit’s TURN on loopback', async () => {
    await open(true);
    await mediaBothWays(pages);
    for (const { page } of pages) {
      const record = await iceRecord(page);
      expect(record.configs.every((c) => c.iceTransportPolicy === 'relay')).toBe(true);
      const stats = await connected(page);
      for (const pc of stats) {
        for (const { local, remote } of pc.selected) {
          // Chromium's end is a relayed candidate the stack's TURN server allocated on loopback.
          expect(local.candidateType).toBe('relay');
          expect(local.address).toBe(LOOPBACK);
          const [from, to] = stack.livekit.ports.relayRange!;
          expect(local.port).toBeGreaterThanOrEqual(from);
          expect(local.port).toBeLessThanOrEqual(to);
          expect(remote.address).toBe(LOOPBACK);
        }
      }
      // Every candidate the page gathered is relayed: no host candidate was even offered.
      for (const line of record.candidates) expect(line).toMatch(/ typ relay /);
    }
  });
});
