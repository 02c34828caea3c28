import { describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '@polyphony/db/testing';
import { connectMedia, ToneMicrophone, type MediaClient } from '@polyphony/stack';
import type { LivekitParticipant } from '../../plugins/livekit.ts';
import { createTestMeeting, type Session } from '../../testing/meeting-harness.ts';
import { until, useTestApp } from '../../testing/use-test-app.ts';

const NETWORK = 8;
const SWITCHES = 5;
/**
 * rtc-node's own publish timeout is 10 s; a healthy republish takes < 1 s, but on a box loaded
 * by browser tests both tries once ran past 12 s. A wedged room never answers at all, so the
 * bound only has to be finite.
 */
const REPUBLISH_MS = 30_000;

/** How long every microphone may take to be back before the stalled ones publish again. */
const STALLED_MS = 15_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Rejects after `ms`: a wedged rtc-node room never answers at all. */
function within<T>(what: string, ms: number, p: Promise<T>): Promise<T> {
  return Promise.race([
    p,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms).unref(),
    ),
  ]);
}

// What `pnpm bench reflect` does, as a test: a room of rtc-node peers (the Rust SDK) that
// joined with rightless tickets, every network member speaking, several dialogue → reflecting
// → dialogue switches with every network microphone published again after each one. The
// tickets carry no publish right at join, so LiveKit tells these clients `fast_publish: false`
// and their publisher negotiations take the Rust SDK's debounced path; rtc-ffi-bindings up to
// 0.12.73 deadlocked there when a second negotiation was asked for while an offer awaited its
// answer (rust-sdks #1252), and every later publication of that peer timed out. During every
// reflection no network member may hold or publish a microphone.
describe.each(testDatabaseTargets())('republishing after reflections on $name', (target) => {
  const t = useTestApp(target, { livekit: 'webhook' });
  const { http, join } = t;

  const roomOf = (meetingId: string) => t.app.livekit.listParticipants(meetingId);
  const find = (list: readonly LivekitParticipant[], participantId: string) =>
    list.find((p) => p.identity.startsWith(`${participantId}.`));
  const hasMic = (p: LivekitParticipant | undefined) =>
    p?.tracks.some((track) => track.source === 'microphone') ?? false;

  /** A page that subscribes to what it may: connected with its ticket, seat claimed. */
  async function enter(session: Session): Promise<MediaClient> {
    const live = t.live(session);
    const snapshot = await live.nextOf('snapshot');
    const media = snapshot.media!;
    const client = await connectMedia(media.url, media.token, {
      autoSubscribe: true,
      dynacast: true,
    });
    const sid = client.room.localParticipant!.sid!;
    live.ws.send(JSON.stringify({ type: 'seat', sid }));
    await until(async () => {
      const p = await t.app.livekit.getParticipant(session.meetingId, media.identity);
      return p?.seated === true && p.sid === sid;
    }, 'the seat is granted');
    return client;
  }

  it(`${NETWORK} network microphones come back after each of ${SWITCHES} reflections, and none is open during one`, async () => {
    const m = await createTestMeeting(t.app);
    const lee = await join(await m.link('facilitator', 'Dr Avery Lee', m.hostStaffId));
    const network: Session[] = [];
    for (let i = 0; i < NETWORK; i++) {
      const s = await join(await m.link('network', `Relative ${i}`));
      expect((await http.act(lee, 'admit', s.participantId)).status).toBe(200);
      network.push(s);
    }
    const clients: MediaClient[] = [];
    const tones: ToneMicrophone[] = [];
    try {
      const leeMedia = await enter(lee);
      clients.push(leeMedia);
      const leeTone = new ToneMicrophone(300);
      tones.push(leeTone);
      await leeTone.publish(leeMedia.room);
      const speakers: { session: Session; client: MediaClient; tone: ToneMicrophone }[] = [];
      for (const [i, session] of network.entries()) {
        const client = await enter(session);
        clients.push(client);
        const tone = new ToneMicrophone(320 + 20 * i);
        tones.push(tone);
        speakers.push({ session, client, tone });
      }
      const speakAgain = () =>
        Promise.all(
          speakers.map(async ({ client, tone }, i) => {
            // As a page would: a publish that timed out on a loaded box is tried once more.
            try {
              await within(`network ${i} publishes`, REPUBLISH_MS, tone.publish(client.room));
            } catch {
              await within(`network ${i} publishes again`, REPUBLISH_MS, tone.publish(client.room));
            }
          }),
        );
      const allSpeak = async () => {
        const room = await roomOf(m.meetingId);
        return [lee, ...network].every((s) => hasMic(find(room, s.participantId)));
      };
      await speakAgain();
      await until(allSpeak, 'every microphone is published');

      for (let i = 0; i < SWITCHES; i++) {
        expect((await http.mode(lee, 'reflecting')).status).toBe(200);
        // The SFU takes every network microphone away; the team's stays.
        await until(
          async () => {
            const room = await roomOf(m.meetingId);
            return network.every((s) => !hasMic(find(room, s.participantId)));
          },
          `switch ${i + 1}: network microphones gone`,
        );
        await sleep(500);
        const reflecting = await roomOf(m.meetingId);
        expect(hasMic(find(reflecting, lee.participantId))).toBe(true);
        for (const s of network) {
          const p = find(reflecting, s.participantId);
          expect(hasMic(p), `switch ${i + 1}: ${s.participantId}`).toBe(false);
          expect(p?.permission?.canPublishSources, `switch ${i + 1}: ${s.participantId}`).toEqual([
            'camera',
          ]);
        }

        expect((await http.mode(lee, 'dialogue')).status).toBe(200);
        // As a page does: publish again once the grant is back (a loaded box may take a while).
        await until(
          async () => {
            const room = await roomOf(m.meetingId);
            return network.every((s) =>
              find(room, s.participantId)?.permission?.canPublishSources?.includes('microphone'),
            );
          },
          `switch ${i + 1}: microphones granted again`,
        );
        await speakAgain();
        const back = `switch ${i + 1}: every microphone is back`;
        // Once granted again, nobody's microphone grant may go in dialogue (a stale restrictive
        // push would do that, and a page would then turn the person's microphone off).
        let grantLost = false;
        const backAndGranted = async () => {
          const room = await roomOf(m.meetingId);
          const granted = network.every((s) =>
            find(room, s.participantId)?.permission?.canPublishSources?.includes('microphone'),
          );
          if (!granted) grantLost = true;
          return [lee, ...network].every((s) => hasMic(find(room, s.participantId)));
        };
        await until(backAndGranted, back, STALLED_MS)
          .catch(async () => {
            expect(grantLost, `${back}: a microphone grant went again in dialogue`).toBe(false);
            // Granted, published as far as the client knows, yet LiveKit holds no microphone for
            // some (seen in CI under load, 2 runs in about 4, both databases): the Rust SDK's
            // publisher negotiation has stalled before (ADR 0014). As a page whose microphone did
            // not come up, those publish once more; the server's part (the grant) stands.
            const room = await roomOf(m.meetingId);
            const stalled = speakers.filter(({ session }) => {
              const p = find(room, session.participantId);
              return p?.permission?.canPublishSources?.includes('microphone') && !hasMic(p);
            });
            process.stderr.write(
              `[republish] ${back}: ${stalled.length} granted but holding nothing after ${STALLED_MS} ms; they publish again\n`,
            );
            await Promise.all(
              stalled.map(({ client, tone }) =>
                within(
                  'a stalled microphone publishes again',
                  REPUBLISH_MS,
                  tone.publish(client.room),
                ),
              ),
            );
            await until(backAndGranted, back, REPUBLISH_MS);
          })
          .catch(async (error: Error) => {
            // Who lacks a microphone, with what LiveKit grants them and holds for them.
            const room = await roomOf(m.meetingId);
            const seen = [lee, ...network].map((s, n) => {
              const p = find(room, s.participantId);
              return `${n === 0 ? 'lee' : `network ${n - 1}`}: ${p ? `may ${p.permission?.canPublishSources?.join('+') ?? '-'}, holds ${p.tracks.map((tr) => tr.source).join('+') || 'nothing'}` : 'not in the room'}`;
            });
            throw new Error(`${error.message}; ${seen.join('; ')}`);
          });
        expect(grantLost, `${back}: a microphone grant went again in dialogue`).toBe(false);
      }
    } finally {
      // A wedged room may never answer an unpublish either.
      await Promise.all(tones.map((tone) => within('stop', 5000, tone.stop()).catch(() => {})));
      await Promise.all(clients.map((c) => within('close', 5000, c.close()).catch(() => {})));
    }
  }, 420_000);
});
