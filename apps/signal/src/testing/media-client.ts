import {
  AudioFrame,
  AudioSource,
  LocalAudioTrack,
  Room,
  RoomEvent,
  TrackPublishOptions,
  TrackSource,
  type LocalTrackPublication,
} from '@livekit/rtc-node';
import type { MediaAccess } from '@polyphony/protocol';

/** A real LiveKit participant (the Rust SDK through @livekit/rtc-node), for integration tests. */
export interface MediaClient {
  readonly room: Room;
  /** Publishes a microphone track fed with silence; rejects if LiveKit refuses it. */
  publishMicrophone(): Promise<LocalTrackPublication>;
  /** Resolves when LiveKit disconnects this client (or after `timeoutMs` with false). */
  disconnected(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export async function connectMedia(url: string, token: string): Promise<MediaClient> {
  const room = new Room();
  let gone = false;
  const goneWaiters: (() => void)[] = [];
  room.on(RoomEvent.Disconnected, () => {
    gone = true;
    for (const w of goneWaiters.splice(0)) w();
  });
  await room.connect(url, token, { autoSubscribe: false, dynacast: false });
  const sources: AudioSource[] = [];
  return {
    room,
    async publishMicrophone() {
      const source = new AudioSource(48_000, 1);
      sources.push(source);
      const track = LocalAudioTrack.createAudioTrack('microphone', source);
      const options = new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE });
      const publication = await room.localParticipant!.publishTrack(track, options);
      await source.captureFrame(AudioFrame.create(48_000, 1, 480));
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

export function connectWith(media: MediaAccess): Promise<MediaClient> {
  return connectMedia(media.url, media.token);
}
