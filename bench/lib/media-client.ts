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
  type RemoteParticipant,
  type RemoteTrack,
} from '@livekit/rtc-node';

const RATE = 48000;
const FRAME = RATE / 100; // 10 ms

/** A real LiveKit participant (no browser) that speaks a steady tone on its microphone. */
export async function publishTone(room: Room, hz: number): Promise<() => Promise<void>> {
  const source = new AudioSource(RATE, 1);
  const track = LocalAudioTrack.createAudioTrack('microphone', source);
  const options = new TrackPublishOptions();
  options.source = TrackSource.SOURCE_MICROPHONE;
  const publication = await room.localParticipant!.publishTrack(track, options);
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
