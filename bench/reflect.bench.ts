// pnpm bench reflect: ten real LiveKit participants (facilitator, centre person, eight network
// members, every network microphone speaking a tone). Over N switches to reflecting it times
//   click → every listener has lost every blocked microphone (the SFU unpublished it), and
//   click → every live channel shows the new mode,
// beside the raw RoomService.updateParticipant round trip measured in the same run.
import {
  Room,
  RoomEvent,
  TrackKind,
  dispose,
  type RemoteTrackPublication,
} from '@livekit/rtc-node';
import { RoomServiceClient, TrackSource } from 'livekit-server-sdk';
import {
  connectLive,
  exitOnSignals,
  joinByLink,
  prepareMeeting,
  publishTone,
  startStack,
  type ApiClient,
  type LiveClient,
} from '@polyphony/stack';
import { report } from './lib/stats.ts';

const SWITCHES = Number(process.argv[2] ?? 30);
const NETWORK = 8;
exitOnSignals();
const stack = await startStack();
const cleanups: (() => Promise<void>)[] = [];

/** Fails loudly instead of hanging when something never happens. */
function within<T>(label: string, ms: number, p: Promise<T>): Promise<T> {
  return Promise.race([
    p,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${label}: nothing after ${ms} ms`)), ms).unref(),
    ),
  ]);
}

interface Member {
  readonly name: string;
  readonly room: Room;
  readonly live: LiveClient;
  readonly identity: string;
  readonly network: boolean;
  stopTone: (() => Promise<void>) | null;
}

function waitForMode(live: LiveClient, mode: string, from: number): Promise<number> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      for (let i = from; i < live.messages.length; i++) {
        const m = live.messages[i] as { type: string; event?: { type: string; mode?: string } };
        if (m.type === 'event' && m.event?.type === 'mode.changed' && m.event.mode === mode) {
          resolve(performance.now());
          return true;
        }
      }
      return false;
    };
    if (check()) return;
    const onMessage = (): void => {
      if (check()) live.ws.off('message', onMessage);
    };
    live.ws.on('message', onMessage);
  });
}

/** Resolves when `listener` no longer has any microphone publication from `speakers`. */
function micsGone(listener: Room, speakers: ReadonlySet<string>): Promise<number> {
  const remaining = (): number => {
    let n = 0;
    for (const p of listener.remoteParticipants.values()) {
      if (!speakers.has(p.identity)) continue;
      for (const pub of p.trackPublications.values()) if (isMic(pub)) n++;
    }
    return n;
  };
  return new Promise((resolve) => {
    if (remaining() === 0) return resolve(performance.now());
    const onChange = (): void => {
      if (remaining() === 0) {
        listener.off(RoomEvent.TrackUnpublished, onChange);
        resolve(performance.now());
      }
    };
    listener.on(RoomEvent.TrackUnpublished, onChange);
  });
}

function isMic(pub: RemoteTrackPublication): boolean {
  return pub.kind === TrackKind.KIND_AUDIO;
}

async function enter(
  client: ApiClient,
  meetingId: string,
  name: string,
  network: boolean,
): Promise<Member> {
  const live = await connectLive(stack.signal.url, stack.origin, meetingId, client.cookieHeader());
  const media = await live.media;
  const room = new Room();
  await room.connect(media.url, media.token, { autoSubscribe: true, dynacast: true });
  cleanups.push(() => room.disconnect());
  const member: Member = { name, room, live, identity: media.identity, network, stopTone: null };
  if (network) member.stopTone = await publishTone(room, 300 + Math.random() * 300);
  return member;
}

try {
  const prepared = await prepareMeeting(stack.signal.url, stack.origin, [
    { name: 'Sam', relationship: 'self', isCentre: true },
    ...Array.from({ length: NETWORK }, (_, i) => ({
      name: `Relative ${i}`,
      relationship: 'family',
      preApproved: true,
    })),
  ]);
  const { admin, meetingId } = prepared;
  await admin.call('POST', `/api/meetings/${meetingId}/participants/me`, {});
  const people: Member[] = [await enter(admin, meetingId, 'facilitator', false)];
  for (const link of prepared.links.filter((l) => l.memberId !== null)) {
    const guest = await joinByLink(stack.signal.url, stack.origin, link.token, link.name);
    await admin.call(
      'POST',
      `/api/meetings/${meetingId}/participants/${guest.participantId}/admit`,
    );
    people.push(await enter(guest.client, meetingId, link.name, link.role !== 'facilitator'));
  }
  console.error(`[reflect] ${people.length} participants connected`);
  await new Promise((r) => setTimeout(r, 3000));

  const speakers = new Set(people.filter((p) => p.network).map((p) => p.identity));
  const rooms = new RoomServiceClient(
    stack.livekit.httpUrl,
    stack.livekit.apiKey,
    stack.livekit.apiSecret,
  );
  const roomName = `meeting-${meetingId}`;
  /** Polls the SFU until no blocked speaker has a microphone track published. */
  const sfuClear = async (): Promise<number> => {
    for (;;) {
      const list = await rooms.listParticipants(roomName);
      const mics = list.filter(
        (p) =>
          speakers.has(p.identity) && p.tracks.some((t) => t.source === TrackSource.MICROPHONE),
      );
      if (mics.length === 0) return performance.now();
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const sfuMs: number[] = [];
  const mediaMs: number[] = [];
  const modeMs: number[] = [];
  for (let i = 0; i < SWITCHES; i++) {
    const marks = people.map((p) => p.live.messages.length);
    const gone = people.map((p) =>
      micsGone(p.room, new Set([...speakers].filter((s) => s !== p.identity))),
    );
    const shown = people.map((p, k) => waitForMode(p.live, 'reflecting', marks[k]!));
    const t0 = performance.now();
    const clearAt = (async () => {
      await new Promise((r) => setTimeout(r, 1));
      return within('sfu clear', 10_000, sfuClear());
    })();
    await admin.call('POST', `/api/meetings/${meetingId}/mode`, { mode: 'reflecting' });
    sfuMs.push((await clearAt) - t0);
    modeMs.push(Math.max(...(await within('mode shown', 10_000, Promise.all(shown)))) - t0);
    mediaMs.push(Math.max(...(await within('mics gone', 10_000, Promise.all(gone)))) - t0);
    console.error(
      `[reflect] switch ${i + 1}: mode ${modeMs.at(-1)!.toFixed(0)} ms, sfu ${sfuMs.at(-1)!.toFixed(0)} ms, mics ${mediaMs.at(-1)!.toFixed(0)} ms`,
    );

    // Back to dialogue; network members re-acquire their microphones (the bench unmutes them
    // at once; the product leaves that to each person).
    const back = people.map((p, k) => waitForMode(p.live, 'dialogue', marks[k]!));
    await admin.call('POST', `/api/meetings/${meetingId}/mode`, { mode: 'dialogue' });
    await within('back to dialogue', 10_000, Promise.all(back));
    // let the re-granted permissions land before the microphones come back
    await new Promise((r) => setTimeout(r, 1000));
    for (const p of people.filter((x) => x.network)) {
      await p.stopTone?.().catch(() => {});
      p.stopTone = await publishTone(p.room, 440);
    }
    await new Promise((r) => setTimeout(r, 500));
  }

  // Baseline: the raw permission update the signal service sends to LiveKit.
  const target = people[1]!.identity;
  const raw: number[] = [];
  for (let i = 0; i < SWITCHES; i++) {
    const t0 = performance.now();
    await rooms.updateParticipant(roomName, target, {
      permission: {
        canSubscribe: true,
        canPublish: true,
        canPublishData: false,
        canPublishSources:
          i % 2 ? [TrackSource.CAMERA] : [TrackSource.CAMERA, TrackSource.MICROPHONE],
        canUpdateMetadata: false,
      },
    });
    raw.push(performance.now() - t0);
  }

  report('reflect', { label: 'raw updateParticipant round trip', samplesMs: raw }, [
    {
      label: `click → blocked mics gone for all ${people.length}`,
      samplesMs: mediaMs,
      target: { p95: 150 },
    },
    {
      label: 'click → SFU lists no blocked mic',
      samplesMs: sfuMs,
      target: { p95: 150 },
    },
    {
      label: `click → all ${people.length} clients show the mode`,
      samplesMs: modeMs,
      target: { p95: 100 },
    },
  ]);
} finally {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await stack.stop();
  await dispose();
}
