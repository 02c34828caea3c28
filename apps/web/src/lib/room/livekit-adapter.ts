// The only module that touches livekit-client. It is loaded lazily (dynamic import) so pages
// without media stay small; the session sees plain data and attach/detach functions.
import type { Participant, Room, Track } from 'livekit-client';

export type MediaConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/** A remote participant as the room UI needs it. */
export interface RemoteMediaView {
  readonly identity: string;
  readonly name: string;
  /** Track sid of a subscribed, unmuted camera track; `null` shows the no-video tile. */
  readonly videoTrackSid: string | null;
  readonly audioTrackSid: string | null;
  readonly speaking: boolean;
}

export interface LocalMediaView {
  readonly identity: string;
  readonly microphoneOn: boolean;
  readonly cameraOn: boolean;
  readonly videoTrackSid: string | null;
  readonly speaking: boolean;
}

export interface MediaCallbacks {
  onState(state: MediaConnectionState): void;
  onRemotes(remotes: readonly RemoteMediaView[]): void;
  onLocal(local: LocalMediaView): void;
  /** The browser blocked autoplay of remote audio until the person interacts. */
  onAudioBlocked(blocked: boolean): void;
  /** Camera or microphone could not start (no device, permission denied). */
  onDeviceError(): void;
  /**
   * Who is speaking now (media identities, the local one included), each time LiveKit's
   * active-speaker list changes. Feeds the facilitators' voices view; never sent anywhere.
   */
  onActiveSpeakers(identities: readonly string[]): void;
}

export interface MediaConnection {
  setMicrophoneEnabled(on: boolean): Promise<void>;
  setCameraEnabled(on: boolean): Promise<void>;
  /** Attaches a participant's camera (own preview when `identity` is the local one). */
  attachVideo(identity: string, element: HTMLVideoElement): () => void;
  attachAudio(identity: string, element: HTMLAudioElement): () => void;
  startAudio(): Promise<void>;
  disconnect(): Promise<void>;
}

export interface MediaTarget {
  readonly url: string;
  readonly token: string;
}

/** Joins the LiveKit room, publishes camera and microphone, and reports changes. */
export async function connectMedia(
  target: MediaTarget,
  callbacks: MediaCallbacks,
): Promise<MediaConnection> {
  const lk = await import('livekit-client');
  const room: Room = new lk.Room({ adaptiveStream: true, dynacast: true });
  const { RoomEvent, ConnectionState } = lk;
  const CAMERA = lk.Track.Source.Camera;
  const MICROPHONE = lk.Track.Source.Microphone;

  const trackOf = (participant: Participant | undefined, source: Track.Source): Track | null => {
    const publication = participant?.getTrackPublication(source);
    if (!publication || publication.isMuted) return null;
    return publication.track ?? null;
  };

  const findParticipant = (identity: string): Participant | undefined =>
    identity === room.localParticipant.identity
      ? room.localParticipant
      : room.getParticipantByIdentity(identity);

  const publish = (): void => {
    const remotes = [...room.remoteParticipants.values()].map((p): RemoteMediaView => ({
      identity: p.identity,
      name: p.name ?? '',
      videoTrackSid: trackOf(p, CAMERA)?.sid ?? null,
      audioTrackSid: trackOf(p, MICROPHONE)?.sid ?? null,
      speaking: p.isSpeaking,
    }));
    callbacks.onRemotes(remotes);
    const local = room.localParticipant;
    callbacks.onLocal({
      identity: local.identity,
      microphoneOn: local.isMicrophoneEnabled,
      cameraOn: local.isCameraEnabled,
      videoTrackSid: trackOf(local, CAMERA)?.sid ?? null,
      speaking: local.isSpeaking,
    });
  };

  const toState = (
    state: (typeof ConnectionState)[keyof typeof ConnectionState],
  ): MediaConnectionState => {
    switch (state) {
      case ConnectionState.Connected:
        return 'connected';
      case ConnectionState.Connecting:
        return 'connecting';
      case ConnectionState.Reconnecting:
      case ConnectionState.SignalReconnecting:
        return 'reconnecting';
      case ConnectionState.Disconnected:
        return 'disconnected';
    }
  };

  const onConnectionState = (
    state: (typeof ConnectionState)[keyof typeof ConnectionState],
  ): void => {
    callbacks.onState(toState(state));
    publish();
  };
  const onAudioPlayback = (): void => callbacks.onAudioBlocked(!room.canPlaybackAudio);
  const onDeviceError = (): void => callbacks.onDeviceError();
  const onActiveSpeakers = (speakers: Participant[]): void =>
    callbacks.onActiveSpeakers(speakers.map((p) => p.identity));

  const refreshEvents = [
    RoomEvent.ParticipantConnected,
    RoomEvent.ParticipantDisconnected,
    RoomEvent.ParticipantNameChanged,
    RoomEvent.TrackSubscribed,
    RoomEvent.TrackUnsubscribed,
    RoomEvent.TrackMuted,
    RoomEvent.TrackUnmuted,
    RoomEvent.LocalTrackPublished,
    RoomEvent.LocalTrackUnpublished,
    RoomEvent.ActiveSpeakersChanged,
    RoomEvent.ParticipantPermissionsChanged,
  ] as const;

  for (const event of refreshEvents) room.on(event, publish);
  room.on(RoomEvent.ConnectionStateChanged, onConnectionState);
  room.on(RoomEvent.AudioPlaybackStatusChanged, onAudioPlayback);
  room.on(RoomEvent.MediaDevicesError, onDeviceError);
  room.on(RoomEvent.ActiveSpeakersChanged, onActiveSpeakers);

  const removeListeners = (): void => {
    for (const event of refreshEvents) room.off(event, publish);
    room.off(RoomEvent.ConnectionStateChanged, onConnectionState);
    room.off(RoomEvent.AudioPlaybackStatusChanged, onAudioPlayback);
    room.off(RoomEvent.MediaDevicesError, onDeviceError);
    room.off(RoomEvent.ActiveSpeakersChanged, onActiveSpeakers);
  };

  callbacks.onState('connecting');
  try {
    await room.connect(target.url, target.token);
  } catch (error) {
    removeListeners();
    await room.disconnect();
    throw error;
  }
  publish();
  onAudioPlayback();

  // Publish what the grants allow; a missing device or a refused permission must not end the call.
  const results = await Promise.allSettled([
    room.localParticipant.setMicrophoneEnabled(true),
    room.localParticipant.setCameraEnabled(true),
  ]);
  if (results.some((r) => r.status === 'rejected')) callbacks.onDeviceError();
  publish();

  const attach = <E extends HTMLMediaElement>(
    identity: string,
    source: Track.Source,
    element: E,
  ): (() => void) => {
    const track = trackOf(findParticipant(identity), source);
    if (!track) return () => {};
    track.attach(element);
    return () => {
      track.detach(element);
    };
  };

  return {
    async setMicrophoneEnabled(on) {
      await room.localParticipant.setMicrophoneEnabled(on);
      publish();
    },
    async setCameraEnabled(on) {
      await room.localParticipant.setCameraEnabled(on);
      publish();
    },
    attachVideo: (identity, element) => attach(identity, CAMERA, element),
    attachAudio: (identity, element) => attach(identity, MICROPHONE, element),
    async startAudio() {
      await room.startAudio();
      onAudioPlayback();
    },
    async disconnect() {
      removeListeners();
      await room.disconnect();
      callbacks.onState('disconnected');
    },
  };
}
