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

/** Speaks a steady tone on the room's microphone; returns how to stop and unpublish it. */
export async function publishTone(room: Room, hz: number): Promise<() => Promise<void>> {
  const { source, track, publication } = await publishMicrophoneTrack(room);
  let running = true;
  let phase = 0;
  const loop = (async () => {
    while (running) {
      const data = new Int16Array(FRAME);
      for (let i = 0; i < FRAME; i++)
        data[i] = Math.round(Math.sin((2 * Math.PI * hz * phase++) / RATE) * 8000);
      await source.captureFrame(new AudioFrame(data, RATE, 1, FRAME));
    }
  })();
  return async () => {
    running = false;
    await loop;
    if (publication.sid)
      await room.localParticipant!.unpublishTrack(publication.sid).catch(() => {});
    await track.close();
  };
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
