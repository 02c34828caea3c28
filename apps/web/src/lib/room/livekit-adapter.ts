// The only module that touches livekit-client. It is loaded lazily (dynamic import) so pages
// without media stay small; the session sees plain data and attach/detach functions.
import type { BaseKeyProvider, LocalAudioTrack, Participant, Room, Track } from 'livekit-client';
import { reconnectDelay } from './backoff.ts';
import { qualityOf, type Quality } from './connection-quality.ts';

export type MediaConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/** A device of one's own that the room publishes. */
export type MediaDevice = 'camera' | 'microphone';

/** A remote participant as the room UI needs it. */
export interface RemoteMediaView {
  readonly identity: string;
  readonly name: string;
  /** Track sid of a subscribed, unmuted camera track; `null` shows the no-video tile. */
  readonly videoTrackSid: string | null;
  readonly audioTrackSid: string | null;
  readonly speaking: boolean;
  /** The media server hears nothing from them now: their page shows as reconnecting. */
  readonly connectionLost: boolean;
  /** Their connection to the media server, as LiveKit measures it. */
  readonly quality: Quality;
  /** They publish a screen share (received or not: audio only receives no video). */
  readonly sharesScreen: boolean;
  /** Track sid of a subscribed, unmuted screen share (video only); `null` when none. */
  readonly screenTrackSid: string | null;
  /** Track sid of the shared screen's sound; `null` when none. */
  readonly screenAudioTrackSid: string | null;
  /**
   * End-to-end encryption: their frames cannot be decrypted yet (no key from them, or a key
   * that does not fit). Cleared when a new key from them arrives.
   */
  readonly undecryptable: boolean;
}

export interface LocalMediaView {
  readonly identity: string;
  readonly microphoneOn: boolean;
  readonly cameraOn: boolean;
  readonly videoTrackSid: string | null;
  readonly speaking: boolean;
  /** Whether one's microphone goes through the noise suppressor now. */
  readonly noiseSuppression: boolean;
  /** This page is sharing a screen now. */
  readonly screenSharing: boolean;
  /** This page's own connection to the media server, as LiveKit measures it. */
  readonly quality: Quality;
}

/**
 * The noise suppressor's name, as livekit-client reports it on the track. Declared here, not in
 * `noise-suppression.ts`, so that reading it does not load the suppressor (ADR 0032).
 */
export const NOISE_SUPPRESSION = 'polyphony-rnnoise';

export interface MediaCallbacks {
  onState(state: MediaConnectionState): void;
  onRemotes(remotes: readonly RemoteMediaView[]): void;
  onLocal(local: LocalMediaView): void;
  /** The browser blocked autoplay of remote audio until the person interacts. */
  onAudioBlocked(blocked: boolean): void;
  /** The camera or the microphone could not start (no device, permission denied); the call goes on. */
  onDeviceError(device: MediaDevice, error: unknown): void;
  /**
   * Who is speaking now (media identities, the local one included), each time LiveKit's
   * active-speaker list changes. Feeds the facilitators' voices view; never sent anywhere.
   */
  onActiveSpeakers(identities: readonly string[]): void;
  /**
   * Connected to LiveKit as this participant sid (again after a full reconnect). The ticket
   * grants nothing: the page claims its seat with this sid over the live channel (ADR 0014).
   */
  onSeat(sid: string): void;
  /** Another connection using our identity pushed this one out (LiveKit's duplicate rule). */
  onDisplaced(): void;
  /**
   * Encrypted meetings: the key ring takes keys from here on — LiveKit has connected, and this
   * page's own tracks are not published yet. Others' keys set now decrypt their first frames
   * instead of waiting until the microphone and camera have started (seconds on an old phone);
   * one's own key set now encrypts the first frame sent. The connection's `setMediaKey` is the
   * same function.
   */
  onKeyRing?(setKey: MediaConnection['setMediaKey']): void;
}

/** What the page wants when it joins. */
export interface MediaWishes {
  readonly microphone: boolean;
  readonly camera: boolean;
  /** The camera chosen before joining (a device id); null: the browser's default. */
  readonly cameraDeviceId: string | null;
  /** Identities allowed to receive this page's tracks: the roster's current identities. */
  readonly listeners: readonly string[];
  /** Whether to send the microphone through the noise suppressor (ADR 0032). */
  readonly noiseSuppression: boolean;
  /** Whether to receive others' video (false: audio only, nothing of it is subscribed). */
  readonly receiveVideo: boolean;
  /**
   * End-to-end encryption (ADR 0035): everything sent is encrypted with this page's media key,
   * and only encrypted tracks are received. Never falls back to unencrypted media.
   */
  readonly encrypted: boolean;
}

/** A publish the connection did not take is tried again within 2 s, then less often (≤ 30 s). */
const PUBLISH_RETRY_BACKOFF = { baseMs: 2000, maxMs: 30_000 } as const;

/** How long the chain of publishes waits for the noise suppressor to start or stop. */
const PROCESSOR_START_MS = 5000;

/** Waits for `work`, or rejects after `ms` (the work itself goes on). */
function withinMs(ms: number, work: Promise<unknown>): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not done within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** A sender's frames count as decrypting again after this long without a decryption error. */
const DECRYPT_ERRORS_QUIET_MS = 3000;

/** This browser cannot encrypt media end to end (no insertable streams): it must not join. */
export class EncryptionUnsupported extends Error {
  constructor() {
    super('end-to-end encryption is not supported by this browser');
    this.name = 'EncryptionUnsupported';
  }
}

export interface MediaConnection {
  setMicrophoneEnabled(on: boolean): Promise<void>;
  setCameraEnabled(on: boolean): Promise<void>;
  /** Turns the microphone's noise suppression on or off (now, and for a republished track). */
  setNoiseSuppression(on: boolean): Promise<void>;
  /**
   * Shares a screen (with its sound when the person shares it) or stops; only while the server
   * grants it. Rejects with the browser's error when the picker is cancelled or capture fails.
   */
  setScreenShareEnabled(on: boolean): Promise<void>;
  /** Receives others' video or not (audio only): video tracks are unsubscribed, so no byte comes. */
  setReceiveVideo(on: boolean): void;
  /**
   * Only these identities may subscribe to this page's tracks (LiveKit's publisher-side
   * subscription permissions). A replayed token for anyone else receives nothing, rights or not.
   */
  setListeners(identities: readonly string[]): void;
  /** Attaches a participant's camera (own preview when `identity` is the local one). */
  attachVideo(identity: string, element: HTMLVideoElement): () => void;
  attachAudio(identity: string, element: HTMLAudioElement): () => void;
  /** Attaches a remote participant's shared screen, and its sound. */
  attachScreen(identity: string, element: HTMLVideoElement): () => void;
  attachScreenAudio(identity: string, element: HTMLAudioElement): () => void;
  startAudio(): Promise<void>;
  /**
   * Sets a media key in LiveKit's key ring (end-to-end encryption): one's own identity switches
   * what this page sends to `keyIndex`; another's decrypts their frames.
   */
  setMediaKey(identity: string, keyIndex: number, key: Uint8Array<ArrayBuffer>): Promise<void>;
  disconnect(): Promise<void>;
}

/** The key provider's one addition: a raw media key for an identity and key index. */
interface KeyRingProvider {
  setIdentityKey(identity: string, keyIndex: number, key: Uint8Array<ArrayBuffer>): Promise<void>;
}

export interface MediaTarget {
  readonly url: string;
  readonly token: string;
}

/**
 * How this client publishes (`pnpm bench bandwidth` measures it): the camera in simulcast
 * layers (livekit-client's default, stated so it stays), so a poor receiver gets a small
 * layer; speech at 24 kbit/s (livekit-client's `AudioPresets.speech`; its default, the music
 * preset's 48 kbit/s, with the redundant copy RED adds, came to about 126 kbit/s on the wire),
 * keeping RED (each packet also carries the one before: a lost packet costs no sound) and DTX
 * (next to nothing sent in silence). Audio-only upstream in a 9-person call: ≤ 100 kbit/s.
 */
const PUBLISH_DEFAULTS = {
  simulcast: true,
  audioPreset: { maxBitrate: 24_000 },
  red: true,
  dtx: true,
} as const;

/** Loads livekit-client ahead of `connectMedia` (what the room's `preload` fetches). */
export async function preloadLivekit(): Promise<void> {
  await import('livekit-client');
}

/** Whether this browser can encrypt media end to end (insertable streams or script transforms). */
export async function canEncrypt(): Promise<boolean> {
  const lk = await import('livekit-client');
  return lk.isE2EESupported();
}

/**
 * Joins the LiveKit room with a rightless ticket, claims the seat (`onSeat`), and publishes the
 * camera and microphone the person wants once, and as long as, the server grants them.
 */
export async function connectMedia(
  target: MediaTarget,
  callbacks: MediaCallbacks,
  wishes: MediaWishes,
): Promise<MediaConnection> {
  const lk = await import('livekit-client');
  let keyProvider: KeyRingProvider | null = null;
  let encryption: { keyProvider: BaseKeyProvider; worker: Worker } | undefined;
  if (wishes.encrypted) {
    if (!lk.isE2EESupported()) throw new EncryptionUnsupported();
    /** One key per participant identity and key index (never one shared passphrase). */
    class PerIdentityKeyProvider extends lk.BaseKeyProvider implements KeyRingProvider {
      constructor() {
        // No automatic ratchet on failures, and a failing key is never given up on: a new
        // key from the sender replaces it (ADR 0035).
        super({ sharedKey: false, ratchetWindowSize: 0, failureTolerance: -1 });
      }
      /** The key index this page sends with now. */
      #sending = 0;
      async setIdentityKey(identity: string, keyIndex: number, key: Uint8Array<ArrayBuffer>) {
        const material = await lk.createKeyMaterialFromBuffer(key.buffer);
        if (identity === room.localParticipant.identity) this.#sending = keyIndex;
        this.onSetEncryptionKey(material, identity, keyIndex);
      }
      /**
       * After a reconnect livekit-client sends with the key of this index: one's own latest,
       * never the index of a key someone else sent last (which may be an older key of ours that
       * someone who has left still holds).
       */
      override getLatestManuallySetKeyIndex(): number {
        return this.#sending;
      }
    }
    const provider = new PerIdentityKeyProvider();
    keyProvider = provider;
    const { default: E2eeWorker } = await import('livekit-client/e2ee-worker?worker');
    encryption = { keyProvider: provider, worker: new E2eeWorker() };
  }
  const room: Room = new lk.Room({
    ...(encryption ? { encryption } : {}),
    adaptiveStream: true,
    dynacast: true,
    // Simulcast stays on (ADR 0031): a weak receiver is sent a lower layer.
    publishDefaults: PUBLISH_DEFAULTS,
    ...(wishes.cameraDeviceId ? { videoCaptureDefaults: { deviceId: wishes.cameraDeviceId } } : {}),
  });
  const { RoomEvent, ConnectionState, ConnectionQuality } = lk;
  const CAMERA = lk.Track.Source.Camera;
  const MICROPHONE = lk.Track.Source.Microphone;
  const SCREEN = lk.Track.Source.ScreenShare;
  const SCREEN_AUDIO = lk.Track.Source.ScreenShareAudio;
  type Source = typeof CAMERA | typeof MICROPHONE | typeof SCREEN | typeof SCREEN_AUDIO;
  /** What each source must be: a picture label never plays sound, a sound label never shows. */
  const KIND = {
    [CAMERA]: lk.Track.Kind.Video,
    [MICROPHONE]: lk.Track.Kind.Audio,
    [SCREEN]: lk.Track.Kind.Video,
    [SCREEN_AUDIO]: lk.Track.Kind.Audio,
  } as const;
  const SOURCE = { camera: CAMERA, microphone: MICROPHONE } as const satisfies Record<
    MediaDevice,
    unknown
  >;
  let wantMicrophone = wishes.microphone;
  let wantCamera = wishes.camera;
  /** Once a reflection takes the microphone away, it comes back only by the person's choice. */
  let microphoneGranted = false;
  let listeners = wishes.listeners;
  let wantNoiseSuppression = wishes.noiseSuppression;
  let receiveVideo = wishes.receiveVideo;

  const trackOf = (participant: Participant | undefined, source: Source): Track | null => {
    const publication = participant?.getTrackPublication(source);
    if (!publication || publication.isMuted) return null;
    // Checked by what the track is, not by the label its sender chose.
    if (publication.kind !== KIND[source] || publication.track?.kind !== KIND[source]) return null;
    return publication.track ?? null;
  };

  /** Published under this source, unmuted and of its kind, whether this page receives it or not. */
  const published = (participant: Participant, source: Source): boolean => {
    const publication = participant.getTrackPublication(source);
    return publication !== undefined && !publication.isMuted && publication.kind === KIND[source];
  };

  const granted = (source: Source): boolean => {
    const sources = room.localParticipant.permissions?.canPublishSources ?? [];
    return (
      room.localParticipant.permissions?.canPublish === true &&
      sources.some((s) => lk.Track.sourceFromProto(s) === source)
    );
  };

  /**
   * This page receives only from the roster's current identities: nothing is subscribed
   * automatically, so a stranger or a replayed identity in the room sends this page nothing.
   * On audio only, no video is subscribed either (not merely hidden: no byte of it arrives).
   */
  const subscribeRoster = (): void => {
    const allowed = new Set(listeners);
    for (const participant of room.remoteParticipants.values()) {
      const onRoster = allowed.has(participant.identity);
      for (const publication of participant.trackPublications.values()) {
        // Encrypted meetings never receive a track sent in the clear (no fallback, ADR 0035).
        const wanted =
          onRoster &&
          (!wishes.encrypted || publication.isEncrypted) &&
          (receiveVideo || publication.kind !== lk.Track.Kind.Video);
        if (publication.isDesired !== wanted) publication.setSubscribed(wanted);
      }
    }
  };

  const allowListeners = (): void => {
    room.localParticipant.setTrackSubscriptionPermissions(
      false,
      listeners
        .filter((identity) => identity !== room.localParticipant.identity)
        .map((participantIdentity) => ({ participantIdentity, allowAll: true })),
    );
  };

  /** Publishes what is wanted and granted; a refused device must not end the call. */
  let publishing: Promise<void> = Promise.resolve();
  const publishGranted = (): Promise<void> => {
    publishing = publishing.then(async () => {
      const local = room.localParticipant;
      const microphoneNow = granted(MICROPHONE);
      if (microphoneGranted && !microphoneNow) wantMicrophone = false;
      microphoneGranted = microphoneNow;
      const calls: [MediaDevice, Promise<unknown>][] = [];
      if (wantMicrophone && granted(MICROPHONE) && !local.isMicrophoneEnabled)
        calls.push(['microphone', local.setMicrophoneEnabled(true)]);
      if (wantCamera && granted(CAMERA) && !local.isCameraEnabled)
        calls.push(['camera', local.setCameraEnabled(true)]);
      // A share the grants no longer cover (a reflection began) is stopped here too: the server
      // took its track down; the browser's capture must end with it.
      if (local.isScreenShareEnabled && !granted(SCREEN))
        await local.setScreenShareEnabled(false).catch(() => undefined);
      const results = await Promise.allSettled(calls.map(([, call]) => call));
      let connectionFailed = false;
      results.forEach((result, i) => {
        const device = calls[i]![0];
        // Refused because a reflection took the grant away meanwhile: a pause, not a device fault.
        if (result.status !== 'rejected' || !granted(SOURCE[device])) return;
        if (publishFailed(result.reason)) connectionFailed = true;
        else callbacks.onDeviceError(device, result.reason);
      });
      if (connectionFailed) retryPublishing();
      else publishRetries = 0;
      publish();
    });
    return publishing;
  };

  /**
   * The device worked but the connection did not take its track (no answer in time, a
   * negotiation lost on a loaded machine or network): not the person's device, so not told as
   * one; tried again, less and less often, as long as it is wanted and granted.
   */
  const publishFailed = (error: unknown): boolean =>
    error instanceof lk.LivekitError && !(error instanceof lk.DeviceUnsupportedError);
  let publishRetries = 0;
  let publishRetry: ReturnType<typeof setTimeout> | undefined;
  /** Set once this connection is given up (disconnected, or its connect failed): no more tries. */
  let closed = false;
  const stopRetrying = (): void => {
    closed = true;
    clearTimeout(publishRetry);
  };
  const retryPublishing = (): void => {
    clearTimeout(publishRetry);
    if (closed) return;
    publishRetry = setTimeout(
      () => void publishGranted(),
      reconnectDelay(publishRetries++, Math.random, PUBLISH_RETRY_BACKOFF),
    );
  };

  const microphoneTrack = (): LocalAudioTrack | null => {
    const track = room.localParticipant.getTrackPublication(MICROPHONE)?.track;
    return track && track.kind === lk.Track.Kind.Audio ? (track as LocalAudioTrack) : null;
  };
  const suppressing = (): boolean => microphoneTrack()?.getProcessor()?.name === NOISE_SUPPRESSION;

  /**
   * Puts the noise suppressor on the published microphone, or takes it off, as wished. Serialised
   * with publishing; a suppressor that cannot start leaves the microphone as it is.
   */
  const applyNoiseSuppression = (): Promise<void> => {
    publishing = publishing.then(async () => {
      const track = microphoneTrack();
      if (!track || suppressing() === wantNoiseSuppression) return;
      try {
        const work = wantNoiseSuppression
          ? import('./noise-suppression.ts').then(({ noiseSuppressor }) =>
              track.setProcessor(noiseSuppressor()),
            )
          : track.stopProcessor();
        // A late start still shows; waiting is bounded: a suppressor that never starts must
        // not hold back every later publish.
        void work.then(publish, () => undefined);
        await withinMs(PROCESSOR_START_MS, work);
      } catch {
        // Unprocessed sound is still sound: the switch shows what is really on.
      }
      publish();
    });
    return publishing;
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
      connectionLost: p.connectionQuality === ConnectionQuality.Lost,
      quality: qualityOf(p.connectionQuality),
      sharesScreen: published(p, SCREEN),
      screenTrackSid: trackOf(p, SCREEN)?.sid ?? null,
      screenAudioTrackSid: trackOf(p, SCREEN_AUDIO)?.sid ?? null,
      undecryptable: undecryptable.has(p.identity),
    }));
    callbacks.onRemotes(remotes);
    const local = room.localParticipant;
    callbacks.onLocal({
      identity: local.identity,
      microphoneOn: local.isMicrophoneEnabled,
      cameraOn: local.isCameraEnabled,
      videoTrackSid: trackOf(local, CAMERA)?.sid ?? null,
      speaking: local.isSpeaking,
      noiseSuppression: suppressing(),
      screenSharing: local.isScreenShareEnabled,
      quality: qualityOf(local.connectionQuality),
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
    // A disconnection is reported with its reason by `onDisconnected`.
    if (state === ConnectionState.Disconnected) return;
    callbacks.onState(toState(state));
    publish();
  };
  const onAudioPlayback = (): void => callbacks.onAudioBlocked(!room.canPlaybackAudio);
  const onTrackPublished = (): void => subscribeRoster();
  // A processor goes with its track: a republished microphone gets it again.
  const onLocalTrackPublished = (): void => void applyNoiseSuppression();
  const onPermissions = (_previous: unknown, participant: Participant): void => {
    if (participant === room.localParticipant) void publishGranted();
  };
  const onReconnected = (): void => {
    if (room.localParticipant.sid) callbacks.onSeat(room.localParticipant.sid);
  };
  const onDisconnected = (reason?: number): void => {
    // LiveKit's Disconnected is final for this room: nothing more is published on it.
    stopRetrying();
    // Told before the state, so the page can say so before it reconnects.
    if (reason === lk.DisconnectReason.DUPLICATE_IDENTITY) callbacks.onDisplaced();
    callbacks.onState('disconnected');
    publish();
  };
  /** A device failing later (unplugged, taken by another app); a failed start is told above. */
  const onDeviceError = (error: Error, kind?: MediaDeviceKind): void => {
    if (kind === 'audioinput') callbacks.onDeviceError('microphone', error);
    if (kind === 'videoinput') callbacks.onDeviceError('camera', error);
  };
  const onActiveSpeakers = (speakers: Participant[]): void =>
    callbacks.onActiveSpeakers(speakers.map((p) => p.identity));
  /**
   * Identities whose frames failed to decrypt since their last key arrived, each with the timer
   * that clears it once their frames have stopped failing for a while (a key switch seen late).
   */
  const undecryptable = new Map<string, ReturnType<typeof setTimeout>>();
  const clearUndecryptable = (identity: string): boolean => {
    const timer = undecryptable.get(identity);
    if (timer === undefined) return false;
    clearTimeout(timer);
    undecryptable.delete(identity);
    return true;
  };

  const setMediaKey = async (
    identity: string,
    keyIndex: number,
    key: Uint8Array<ArrayBuffer>,
  ): Promise<void> => {
    if (!keyProvider) return;
    await keyProvider.setIdentityKey(identity, keyIndex, key);
    if (clearUndecryptable(identity)) publish();
  };
  const onEncryptionError = (_error: Error, participant?: Participant): void => {
    if (!participant || participant === room.localParticipant) return;
    const { identity } = participant;
    const known = clearUndecryptable(identity);
    undecryptable.set(
      identity,
      setTimeout(() => {
        if (clearUndecryptable(identity)) publish();
      }, DECRYPT_ERRORS_QUIET_MS),
    );
    if (!known) publish();
  };

  // TrackUnpublished too: livekit-client fires TrackUnsubscribed while the publication is still
  // listed (it removes it after), so a stopped screen share would stay on the stage, frozen,
  // until some other event came along.
  const refreshEvents = [
    RoomEvent.TrackUnpublished,
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
    RoomEvent.ConnectionQualityChanged,
  ] as const;

  for (const event of refreshEvents) room.on(event, publish);
  room.on(RoomEvent.ConnectionStateChanged, onConnectionState);
  room.on(RoomEvent.AudioPlaybackStatusChanged, onAudioPlayback);
  room.on(RoomEvent.MediaDevicesError, onDeviceError);
  room.on(RoomEvent.ActiveSpeakersChanged, onActiveSpeakers);
  room.on(RoomEvent.ParticipantPermissionsChanged, onPermissions);
  room.on(RoomEvent.TrackPublished, onTrackPublished);
  room.on(RoomEvent.LocalTrackPublished, onLocalTrackPublished);
  room.on(RoomEvent.ParticipantConnected, onTrackPublished);
  room.on(RoomEvent.Reconnected, onReconnected);
  room.on(RoomEvent.Disconnected, onDisconnected);
  room.on(RoomEvent.EncryptionError, onEncryptionError);

  const removeListeners = (): void => {
    stopRetrying();
    for (const identity of [...undecryptable.keys()]) clearUndecryptable(identity);
    for (const event of refreshEvents) room.off(event, publish);
    room.off(RoomEvent.ConnectionStateChanged, onConnectionState);
    room.off(RoomEvent.AudioPlaybackStatusChanged, onAudioPlayback);
    room.off(RoomEvent.MediaDevicesError, onDeviceError);
    room.off(RoomEvent.ActiveSpeakersChanged, onActiveSpeakers);
    room.off(RoomEvent.ParticipantPermissionsChanged, onPermissions);
    room.off(RoomEvent.TrackPublished, onTrackPublished);
    room.off(RoomEvent.LocalTrackPublished, onLocalTrackPublished);
    room.off(RoomEvent.ParticipantConnected, onTrackPublished);
    room.off(RoomEvent.Reconnected, onReconnected);
    room.off(RoomEvent.Disconnected, onDisconnected);
    room.off(RoomEvent.EncryptionError, onEncryptionError);
  };

  callbacks.onState('connecting');
  try {
    // Before anything is published: every frame this page sends is encrypted.
    if (encryption) await room.setE2EEEnabled(true);
    await room.connect(target.url, target.token, { autoSubscribe: false });
  } catch (error) {
    removeListeners();
    await room.disconnect();
    encryption?.worker.terminate();
    throw error;
  }
  // Before anything is published: only the roster's current identities may receive it.
  allowListeners();
  subscribeRoster();
  publish();
  onAudioPlayback();
  callbacks.onSeat(room.localParticipant.sid);
  if (keyProvider) callbacks.onKeyRing?.(setMediaKey);
  // Grants may already be here (a quick seat); otherwise they arrive as a permission change.
  await publishGranted();

  /** Turns a device on or off; a refusal because the grant went meanwhile is not an error. */
  const setEnabled = async (
    source: typeof CAMERA | typeof MICROPHONE,
    on: boolean,
  ): Promise<void> => {
    if (on && !granted(source)) return publish();
    try {
      await (source === MICROPHONE
        ? room.localParticipant.setMicrophoneEnabled(on)
        : room.localParticipant.setCameraEnabled(on));
    } catch (error) {
      if (granted(source)) throw error;
    }
    publish();
  };

  const attach = <E extends HTMLMediaElement>(
    identity: string,
    source: Source,
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
      wantMicrophone = on;
      await setEnabled(MICROPHONE, on);
    },
    async setCameraEnabled(on) {
      wantCamera = on;
      await setEnabled(CAMERA, on);
    },
    async setNoiseSuppression(on) {
      wantNoiseSuppression = on;
      await applyNoiseSuppression();
    },
    async setScreenShareEnabled(on) {
      if (on && !granted(SCREEN)) return publish();
      await room.localParticipant.setScreenShareEnabled(on, {
        audio: true,
        systemAudio: 'include',
        selfBrowserSurface: 'exclude',
        contentHint: 'detail',
      });
      publish();
    },
    setReceiveVideo(on) {
      receiveVideo = on;
      subscribeRoster();
    },
    setListeners(identities) {
      listeners = identities;
      allowListeners();
      subscribeRoster();
    },
    attachVideo: (identity, element) => attach(identity, CAMERA, element),
    attachAudio: (identity, element) => attach(identity, MICROPHONE, element),
    attachScreen: (identity, element) => attach(identity, SCREEN, element),
    attachScreenAudio: (identity, element) => attach(identity, SCREEN_AUDIO, element),
    async startAudio() {
      await room.startAudio();
      onAudioPlayback();
    },
    setMediaKey,
    async disconnect() {
      removeListeners();
      await room.disconnect();
      encryption?.worker.terminate();
      callbacks.onState('disconnected');
    },
  };
}
