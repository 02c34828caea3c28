// What an attacker does with LiveKit's own Node client, past every check livekit-client makes:
// replay tokens, forge tokens with the API secret's shape of grants, publish sound under a
// picture label, and count every decoded frame that reaches them.
import { createHmac } from 'node:crypto';
import {
  AudioSource,
  AudioStream,
  LocalAudioTrack,
  LocalVideoTrack,
  Room,
  RoomEvent,
  TrackKind,
  TrackPublishOptions,
  TrackSource,
  VideoBufferType,
  VideoFrame,
  VideoSource,
  VideoStream,
  type RemoteTrack,
} from '@livekit/rtc-node';
import { ToneMicrophone } from './media-client.ts';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * A correctly signed token with full media rights for any identity: what a token LiveKit
 * refreshed for a connected participant carries (its current grants), or what a stranger with a
 * leaked key pair could sign.
 */
export function signFullRightsToken(
  keys: { apiKey: string; apiSecret: string },
  room: string,
  identity: string,
): string {
  const now = Math.floor(Date.now() / 1000);
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({
    iss: keys.apiKey,
    sub: identity,
    nbf: now - 5,
    exp: now + 600,
    video: {
      room,
      roomJoin: true,
      canSubscribe: true,
      canPublish: true,
      canPublishData: true,
      canPublishSources: ['camera', 'microphone', 'screen_share', 'screen_share_audio'],
    },
  })}`;
  return `${body}.${createHmac('sha256', keys.apiSecret).update(body).digest('base64url')}`;
}

/** Frames a client decoded from others, by kind. */
export interface FramesSeen {
  audio: number;
  video: number;
  /** Tracks LiveKit let this client subscribe to. */
  subscribed: number;
}

/** An rtc-node client that subscribes to everything it may and counts what arrives. */
export interface Eavesdropper {
  readonly room: Room;
  readonly seen: FramesSeen;
  /** Tries to publish a tone microphone; 'published' or why not (bounded wait). */
  speak(source?: 'microphone' | 'camera'): Promise<string>;
  close(): Promise<void>;
}

const RATE = 48_000;

/** Connects with any token (or fails to: `null`), subscribes to all and counts decoded frames. */
export async function eavesdrop(url: string, token: string): Promise<Eavesdropper | null> {
  const room = new Room();
  const seen: FramesSeen = { audio: 0, video: 0, subscribed: 0 };
  const streams: { cancel(): Promise<void> }[] = [];
  const count = (track: RemoteTrack): void => {
    seen.subscribed++;
    if (track.kind === TrackKind.KIND_AUDIO) {
      const stream = new AudioStream(track, RATE, 1);
      streams.push(stream);
      void (async () => {
        for await (const _frame of stream) seen.audio++;
      })().catch(() => undefined);
    } else if (track.kind === TrackKind.KIND_VIDEO) {
      const stream = new VideoStream(track);
      streams.push(stream);
      void (async () => {
        for await (const _frame of stream) seen.video++;
      })().catch(() => undefined);
    }
  };
  room.on(RoomEvent.TrackSubscribed, (track) => count(track));
  try {
    await room.connect(url, token, { autoSubscribe: true, dynacast: false });
  } catch {
    return null;
  }
  const tones: ToneMicrophone[] = [];
  return {
    room,
    seen,
    async speak(source = 'microphone') {
      const within = <T>(p: Promise<T>) =>
        Promise.race([
          p,
          new Promise<never>((_, reject) =>
            setTimeout(() => reject(new Error('no answer in 5 s')), 5000),
          ),
        ]);
      try {
        if (source === 'microphone') {
          const tone = new ToneMicrophone(523);
          tones.push(tone);
          await within(tone.publish(room));
        } else {
          await within(publishSoundAsCamera(room));
        }
        return 'published';
      } catch (err) {
        return `refused: ${String(err)}`;
      }
    },
    async close() {
      for (const s of streams) await s.cancel().catch(() => undefined);
      for (const t of tones) await t.stop().catch(() => undefined);
      await room.disconnect().catch(() => undefined);
    },
  };
}

/** Publishes an audio track (a steady tone) whose declared source is the camera. */
export async function publishSoundAsCamera(room: Room): Promise<() => Promise<void>> {
  const source = new AudioSource(RATE, 1);
  const track = LocalAudioTrack.createAudioTrack('camera', source);
  const options = new TrackPublishOptions({ source: TrackSource.SOURCE_CAMERA });
  let running = true;
  const frame = RATE / 100;
  let phase = 0;
  const loop = (async () => {
    const { AudioFrame } = await import('@livekit/rtc-node');
    while (running) {
      const data = new Int16Array(frame);
      for (let i = 0; i < frame; i++)
        data[i] = Math.round(Math.sin((2 * Math.PI * 330 * phase++) / RATE) * 8000);
      await source.captureFrame(new AudioFrame(data, RATE, 1, frame));
    }
  })().catch(() => undefined);
  await room.localParticipant!.publishTrack(track, options);
  return async () => {
    running = false;
    await loop;
    await source.close().catch(() => undefined);
  };
}

/** The sources a forged publication may claim. */
const FORGED_SOURCE = {
  camera: TrackSource.SOURCE_CAMERA,
  microphone: TrackSource.SOURCE_MICROPHONE,
  screen_share: TrackSource.SOURCE_SCREENSHARE,
  screen_share_audio: TrackSource.SOURCE_SCREENSHARE_AUDIO,
} as const;

/**
 * Publishes a steady picture (`video`, grey frames) or a tone (`audio`) under any declared
 * source, past every check of livekit-client; 'published' or why not (bounded wait). The
 * feed stops when the client closes its room.
 */
export async function publishAs(
  room: Room,
  kind: 'audio' | 'video',
  source: keyof typeof FORGED_SOURCE,
): Promise<string> {
  const options = new TrackPublishOptions({ source: FORGED_SOURCE[source] });
  let publish: Promise<unknown>;
  if (kind === 'audio') {
    const audio = new AudioSource(RATE, 1);
    const frame = RATE / 100;
    void (async () => {
      const { AudioFrame } = await import('@livekit/rtc-node');
      let phase = 0;
      while (room.isConnected) {
        const data = new Int16Array(frame);
        for (let i = 0; i < frame; i++)
          data[i] = Math.round(Math.sin((2 * Math.PI * 392 * phase++) / RATE) * 8000);
        await audio.captureFrame(new AudioFrame(data, RATE, 1, frame));
      }
    })().catch(() => undefined);
    publish = room.localParticipant!.publishTrack(
      LocalAudioTrack.createAudioTrack(source, audio),
      options,
    );
  } else {
    const width = 320;
    const height = 180;
    const video = new VideoSource(width, height);
    const pixels = new Uint8Array(width * height * 4).fill(128);
    const timer = setInterval(() => {
      if (!room.isConnected) return clearInterval(timer);
      video.captureFrame(new VideoFrame(pixels, width, height, VideoBufferType.RGBA));
    }, 66);
    publish = room.localParticipant!.publishTrack(
      LocalVideoTrack.createVideoTrack(source, video),
      options,
    );
  }
  try {
    await Promise.race([
      publish,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('no answer in 5 s')), 5000),
      ),
    ]);
    return 'published';
  } catch (err) {
    return `refused: ${String(err)}`;
  }
}
