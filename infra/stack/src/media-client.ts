import {
  AudioFrame,
  AudioSource,
  AudioStream,
  LocalAudioTrack,
  Room,
  RoomEvent,
  TrackKind,
  TrackPublishOptions,
  TrackSource,
  type LocalTrackPublication,
  type RemoteParticipant,
  type RemoteTrack,
  type RemoteTrackPublication,
  type RoomOptions,
} from '@livekit/rtc-node';

const RATE = 48_000;
const FRAME = RATE / 100; // 10 ms

/** Publishes a microphone track fed by a fresh audio source. */
async function publishMicrophoneTrack(room: Room) {
  const source = new AudioSource(RATE, 1);
  const track = LocalAudioTrack.createAudioTrack('microphone', source);
  const options = new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE });
  const publication = await room.localParticipant!.publishTrack(track, options);
  return { source, track, publication };
}

/**
 * A microphone that speaks a steady tone from one audio source for its whole life. Each
 * `publish` puts a fresh microphone track of that source in the room (after the SFU took the
 * last one away, say), so republishing never starts a second generator.
 */
export class ToneMicrophone {
  private readonly source = new AudioSource(RATE, 1);
  private running = true;
  private readonly loop: Promise<void>;
  private track: LocalAudioTrack | null = null;
  private room: Room | null = null;

  constructor(hz: number) {
    let phase = 0;
    this.loop = (async () => {
      while (this.running) {
        const data = new Int16Array(FRAME);
        for (let i = 0; i < FRAME; i++)
          data[i] = Math.round(Math.sin((2 * Math.PI * hz * phase++) / RATE) * 8000);
        await this.source.captureFrame(new AudioFrame(data, RATE, 1, FRAME));
      }
    })();
  }

  /** Unpublishes the current track, if any, and publishes a new one in `room`. */
  async publish(room: Room): Promise<void> {
    await this.unpublish();
    this.room = room;
    this.track = LocalAudioTrack.createAudioTrack('microphone', this.source);
    const options = new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE });
    await room.localParticipant!.publishTrack(this.track, options);
  }

  /** Stops the tone, unpublishes and closes the source. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop.catch(() => {});
    await this.unpublish();
    await this.source.close().catch(() => {});
  }

  private async unpublish(): Promise<void> {
    const track = this.track;
    if (!track) return;
    this.track = null;
    if (track.sid) await this.room?.localParticipant?.unpublishTrack(track.sid).catch(() => {});
    await track.close(false);
  }
}

/** Speaks a steady tone on the room's microphone; returns how to stop and unpublish it. */
export async function publishTone(room: Room, hz: number): Promise<() => Promise<void>> {
  const tone = new ToneMicrophone(hz);
  await tone.publish(room);
  return () => tone.stop();
}

/**
 * Resolves with the time (performance.now()) of the first non-silent audio frame received
 * from a remote participant whose identity satisfies `from`.
 */
export function firstRemoteAudio(room: Room, from: (identity: string) => boolean): Promise<number> {
  return new Promise((resolve) => {
    let done = false;
    const listen = (track: RemoteTrack, participant: RemoteParticipant): void => {
      if (done || track.kind !== TrackKind.KIND_AUDIO || !from(participant.identity)) return;
      void (async () => {
        const stream = new AudioStream(track, RATE, 1);
        for await (const frame of stream) {
          if (done) break;
          if (frame.data.some((s) => s !== 0)) {
            done = true;
            resolve(performance.now());
            break;
          }
        }
        await stream.cancel().catch(() => {});
      })();
    };
    room.on(RoomEvent.TrackSubscribed, (track, _pub, participant) => listen(track, participant));
    for (const p of room.remoteParticipants.values()) {
      for (const pub of p.trackPublications.values()) if (pub.track) listen(pub.track, p);
    }
  });
}

/** Sound received from one remote participant, counted as it arrives. */
export interface SoundCounter {
  /** Audio frames received so far that were not silent. */
  readonly frames: number;
  stop(): Promise<void>;
}

/**
 * Subscribes to the audio the participant `from` publishes (now and later) and counts the
 * frames that carry sound: for tests that check the media keeps flowing.
 */
export function countRemoteSound(room: Room, from: string): SoundCounter {
  let frames = 0;
  let stopped = false;
  const streams: AudioStream[] = [];
  const subscribe = (pub: RemoteTrackPublication, participant: RemoteParticipant): void => {
    if (participant.identity === from && pub.kind === TrackKind.KIND_AUDIO) {
      pub.setSubscribed(true);
    }
  };
  const count = (track: RemoteTrack, participant: RemoteParticipant): void => {
    if (stopped || participant.identity !== from || track.kind !== TrackKind.KIND_AUDIO) return;
    const stream = new AudioStream(track, RATE, 1);
    streams.push(stream);
    void (async () => {
      for await (const frame of stream) if (frame.data.some((s) => s !== 0)) frames++;
    })().catch(() => undefined);
  };
  room.on(RoomEvent.TrackPublished, subscribe);
  room.on(RoomEvent.TrackSubscribed, (track, _pub, participant) => count(track, participant));
  for (const p of room.remoteParticipants.values()) {
    for (const pub of p.trackPublications.values()) {
      if (pub.track) count(pub.track, p);
      else subscribe(pub, p);
    }
  }
  return {
    get frames() {
      return frames;
    },
    async stop() {
      stopped = true;
      for (const s of streams) await s.cancel().catch(() => undefined);
    },
  };
}

/** A real LiveKit participant (the Rust SDK through @livekit/rtc-node), no browser. */
export interface MediaClient {
  readonly room: Room;
  /** Publishes a microphone track fed with silence; rejects if LiveKit refuses it. */
  publishMicrophone(): Promise<LocalTrackPublication>;
  /** Resolves when LiveKit disconnects this client (or after `timeoutMs` with false). */
  disconnected(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export async function connectMedia(
  url: string,
  token: string,
  options: RoomOptions = { autoSubscribe: false, dynacast: false },
): Promise<MediaClient> {
  const room = new Room();
  let gone = false;
  const goneWaiters: (() => void)[] = [];
  room.on(RoomEvent.Disconnected, () => {
    gone = true;
    for (const w of goneWaiters.splice(0)) w();
  });
  await room.connect(url, token, options);
  const sources: AudioSource[] = [];
  return {
    room,
    async publishMicrophone() {
      const { source, publication } = await publishMicrophoneTrack(room);
      sources.push(source);
      await source.captureFrame(AudioFrame.create(RATE, 1, FRAME));
      return publication;
    },
    disconnected(timeoutMs) {
      if (gone) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        goneWaiters.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
    async close() {
      await room.disconnect().catch(() => {});
      for (const s of sources) await s.close().catch(() => {});
    },
  };
}

/** Connects with the media access the live channel handed out. */
export function connectWith(media: { url: string; token: string }): Promise<MediaClient> {
  return connectMedia(media.url, media.token);
}

/** The claims of a LiveKit token, unverified: for tests that read what was issued. */
export function tokenClaims<T = Record<string, unknown>>(token: string): T {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as T;
}
