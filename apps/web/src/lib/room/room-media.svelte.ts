import { parseMediaIdentity, type SpeakerChange } from '@polyphony/domain';
import type { MediaAccess } from '@polyphony/protocol';
import { reconnectDelay } from './backoff.ts';
import {
  CALM,
  declineAudioOnly,
  nextReadingAt,
  watchQuality,
  type Quality,
  type WeakWatch,
} from './connection-quality.ts';
import { deviceProblem } from './device-problem.ts';
import { NO_DEVICE_PROBLEMS, type DeviceProblems } from './device-report.ts';
import { E2eeKeys, type E2eeRelay, type E2eeView } from './e2ee-keys.ts';
import type {
  LocalMediaView,
  MediaConnection,
  MediaConnectionState,
  MediaDevice,
  RemoteMediaView,
} from './livekit-adapter.ts';

export type MediaStatus = 'idle' | MediaConnectionState | 'failed';
type SetMediaKey = MediaConnection['setMediaKey'];

/**
 * The LiveKit half of a meeting session: joins once media access arrives, exposes plain state.
 * When the connection drops for good (not by our own hand) it reports `reconnecting` and asks
 * for fresh access through `onLost`, backing off while joining keeps failing.
 */
export class RoomMedia {
  /** Called when media needs fresh access (the session then reads a new snapshot). */
  onLost: (() => void) | null = null;
  /** Called with this page's LiveKit sid whenever its seat must be claimed (ADR 0014). */
  onSeat: ((sid: string) => void) | null = null;
  /** Called when another connection took our media identity. */
  onDisplaced: (() => void) | null = null;
  /** This page's LiveKit sid while connected; the session claims the seat with it. */
  sid: string | null = null;
  /** Set when another device used this person's identity; cleared on leaving. */
  displaced = $state(false);

  status = $state<MediaStatus>('idle');
  /**
   * The media connection was lost for good (livekit-client's own reconnection gave up, or a
   * rejoin failed): the page keeps trying with backoff and offers "Rejoin" now.
   */
  gaveUp = $state(false);
  /** Whether one's microphone is to go through the noise suppressor (the switch's state). */
  noiseSuppression = $state(true);
  remotes = $state.raw<readonly RemoteMediaView[]>([]);
  local = $state.raw<LocalMediaView | null>(null);
  audioBlocked = $state(false);
  /** Why one's own camera or microphone did not start; the call goes on without it. */
  deviceProblems = $state.raw<DeviceProblems>(NO_DEVICE_PROBLEMS);
  /**
   * Who spoke when (participant ids), for the facilitators' voices view. Collected only while
   * `collectSpeakers` is on; kept in this tab's memory, never stored or sent.
   */
  speakerChanges = $state.raw<readonly SpeakerChange[]>([]);
  collectSpeakers = false;
  /**
   * Audio only, this person's choice for a weak connection: others' video is not received and
   * their own camera is paused (it comes back when they leave audio only). Kept across reconnects.
   */
  audioOnly = $state(false);
  /** How long one's own connection has been weak, and whether audio only is proposed now. */
  weak = $state.raw<WeakWatch>(CALM);
  /** Sharing a screen failed for another reason than the person cancelling the picker. */
  screenShareFailed = $state(false);
  /**
   * End-to-end encryption (ADR 0035), as the session sets it before joining. Media is then only
   * ever sent and received encrypted; a browser that cannot is refused before joining.
   */
  encrypted = true;
  /** The keys' state: ready, the security code, whose key this page holds; null when off. */
  encryption = $state.raw<E2eeView | null>(null);
  /**
   * How many key managers this page has started (one per media connection): a new one makes a
   * new device key and starts its generations again. For tests and benchmarks.
   */
  keyEpoch = $state(0);
  /** This browser cannot encrypt media end to end: it was not let into the media. */
  encryptionUnsupported = $state(false);
  /** The signal service's key relay for this meeting (set by the session). */
  e2eeRelay: { readonly meetingId: string; readonly relay: E2eeRelay } | null = null;
  #keys: E2eeKeys | null = null;

  // Reactive so that video/audio attachments made before the connection resolved re-run.
  #connection = $state.raw<MediaConnection | null>(null);
  #key: string | null = null;
  #generation = 0;
  #rejoins = 0;
  #rejoinTimer: ReturnType<typeof setTimeout> | undefined;
  #listeners: readonly string[] = [];
  // Reactive: until the connection exists the bar shows these (`microphoneOn`, `cameraOn`).
  #wantMicrophone = $state(true);
  #wantCamera = $state(true);
  #cameraDeviceId: string | null = null;
  #cameraBeforeAudioOnly = false;
  #quality: Quality = 'unknown';
  #weakTimer: ReturnType<typeof setTimeout> | undefined;

  /** Whether to publish the microphone on joining (the pre-join choice); before joining only. */
  startWithMicrophone(on: boolean): void {
    if (this.status === 'idle') this.#wantMicrophone = on;
  }

  /** Which camera to publish (the pre-join choice; null: the default); before joining only. */
  startWithCamera(deviceId: string | null): void {
    if (this.status === 'idle') this.#cameraDeviceId = deviceId;
  }

  /** Whether to suppress noise on one's microphone when joining; before joining only. */
  startWithNoiseSuppression(on: boolean): void {
    if (this.status === 'idle') this.noiseSuppression = on;
  }

  /**
   * Fetches and compiles the LiveKit code ahead of joining (the adapter, and livekit-client
   * itself, which the adapter only imports when it connects): called while the person waits in
   * the lobby, so an admission does not wait for half a megabyte of script. A failure shows when
   * joining.
   */
  preload(): void {
    void import('./livekit-adapter.ts')
      .then((adapter) => adapter.preloadLivekit())
      .catch(() => undefined);
  }

  /**
   * Joins LiveKit with this access unless already joined with the same URL, identity and
   * encryption.
   */
  async join(access: MediaAccess): Promise<void> {
    // The same ticket with encryption turned on or off is joined again.
    const key = `${access.url}\n${access.identity}\n${this.encrypted ? 'e2ee' : 'clear'}`;
    if (this.#key === key) return;
    this.#key = key;
    const generation = ++this.#generation;
    const current = (): boolean => generation === this.#generation;
    const previous = this.#connection;
    this.#connection = null;
    this.status = 'connecting';
    // The keys start beside the connection, not after it: the device key is posted and the
    // others' keys are read while LiveKit connects; key ring writes wait until LiveKit has
    // connected (not until this page's own tracks are published: see `onKeyRing`).
    let ringReady!: (setKey: SetMediaKey) => void;
    const ring = new Promise<SetMediaKey>((resolve) => (ringReady = resolve));
    try {
      const { canEncrypt, connectMedia } = await import('./livekit-adapter.ts');
      // A browser that cannot encrypt posts no device key (connecting then says it cannot).
      const encrypting = this.encrypted && (await canEncrypt());
      await previous?.disconnect();
      if (!current()) return;
      if (encrypting) this.#startKeys(access.identity, ring, current);
      else this.#stopKeys();
      const wishes = {
        microphone: this.#wantMicrophone,
        camera: this.#wantCamera,
        cameraDeviceId: this.#cameraDeviceId,
        listeners: this.#listeners,
        noiseSuppression: this.noiseSuppression,
        receiveVideo: !this.audioOnly,
        encrypted: this.encrypted,
      };
      const connection = await connectMedia(
        access,
        {
          onState: (state) => {
            if (!current()) return;
            if (state === 'disconnected') this.#lost();
            else this.status = state;
            if (state === 'connected') {
              this.#rejoins = 0;
              this.gaveUp = false;
            }
          },
          onRemotes: (remotes) => {
            if (!current()) return;
            this.remotes = remotes;
            this.#keys?.reportUndecryptable(
              remotes.filter((r) => r.undecryptable).map((r) => r.identity),
            );
          },
          onLocal: (local) => {
            if (!current()) return;
            this.local = local;
            this.#readQuality(local.quality);
            if (local.microphoneOn) this.#deviceProblem('microphone', null);
            if (local.cameraOn) this.#deviceProblem('camera', null);
          },
          onAudioBlocked: (blocked) => {
            if (current()) this.audioBlocked = blocked;
          },
          onDeviceError: (device, error) => {
            if (current()) this.#deviceProblem(device, deviceProblem(error));
          },
          onActiveSpeakers: (identities) => {
            if (current() && this.collectSpeakers) this.#speakers(identities);
          },
          onSeat: (sid) => {
            if (!current()) return;
            this.sid = sid;
            this.onSeat?.(sid);
          },
          onDisplaced: () => {
            if (!current()) return;
            this.displaced = true;
            this.onDisplaced?.();
          },
          onKeyRing: (setKey) => {
            if (current()) ringReady(setKey);
          },
        },
        wishes,
      );
      if (!current()) {
        await connection.disconnect();
        return;
      }
      this.#connection = connection;
      ringReady(connection.setMediaKey);
      // The roster that came while LiveKit connected reaches the connection now: it was made
      // with the roster of the moment it started, and someone admitted meanwhile would
      // otherwise neither receive this page's tracks nor be received by it.
      if (this.#listeners !== wishes.listeners) {
        try {
          connection.setListeners(this.#listeners);
        } catch {
          // The connection is going (a displacement, a leave): the next one starts afresh.
        }
      }
      // So do the person's own choices made meanwhile (the microphone or camera shortcut, noise
      // suppression, audio only): a "mute" pressed while connecting must not be lost.
      this.#applyLateWishes(connection, wishes);
    } catch (error) {
      if (!current()) return;
      this.#stopKeys();
      if (error instanceof Error && error.name === 'EncryptionUnsupported') {
        this.encryptionUnsupported = true;
        this.status = 'failed';
        return;
      }
      this.#key = null;
      if (this.#rejoins > 0) this.#lost();
      else this.status = 'failed';
    }
  }

  /**
   * Gives a new connection the wishes that changed while it was being made (it was made with
   * `made`). Each call is guarded: a connection that is going fails none of this.
   */
  #applyLateWishes(
    connection: MediaConnection,
    made: {
      microphone: boolean;
      camera: boolean;
      noiseSuppression: boolean;
      receiveVideo: boolean;
    },
  ): void {
    if (this.#wantMicrophone !== made.microphone)
      void this.#deviceCall('microphone', (c) => c.setMicrophoneEnabled(this.#wantMicrophone));
    if (this.#wantCamera !== made.camera)
      void this.#deviceCall('camera', (c) => c.setCameraEnabled(this.#wantCamera));
    if (this.noiseSuppression !== made.noiseSuppression)
      void connection.setNoiseSuppression(this.noiseSuppression).catch(() => undefined);
    if (this.audioOnly === made.receiveVideo) {
      try {
        connection.setReceiveVideo(!this.audioOnly);
      } catch {
        // As above.
      }
    }
  }

  /** This admission's keys: a new device key pair, then the media keys (ADR 0035). */
  #startKeys(identity: string, ring: Promise<SetMediaKey>, current: () => boolean): void {
    this.#stopKeys();
    const admission = parseMediaIdentity(identity)?.admissionNumber;
    if (!this.encrypted || !this.e2eeRelay || admission === undefined) return;
    const epoch = ++this.keyEpoch;
    const keys = new E2eeKeys({
      meetingId: this.e2eeRelay.meetingId,
      identity,
      admission,
      relay: this.e2eeRelay.relay,
      ring: { setKey: async (who, index, key) => (await ring)(who, index, key) },
      onChange: (view) => {
        if (current() && epoch === this.keyEpoch) this.encryption = view;
      },
    });
    this.#keys = keys;
    void keys.start().catch(() => undefined);
  }

  /**
   * "Resend keys" on a tile that cannot decrypt: asks that sender, through the relay, to wrap
   * its current key for this page again. False when encryption is off or the relay refused.
   */
  async resendKeys(identity: string): Promise<boolean> {
    return (await this.#keys?.requestResend(identity).catch(() => false)) ?? false;
  }

  #stopKeys(): void {
    this.#keys?.stop();
    this.#keys = null;
    this.encryption = null;
  }

  #speakers(identities: readonly string[]): void {
    const speakers = identities
      .map((identity) => parseMediaIdentity(identity)?.participantId)
      .filter((id): id is string => id !== undefined);
    this.speakerChanges = [...this.speakerChanges, { at: Date.now(), speakers }];
  }

  /**
   * Who may receive this page's tracks: the current media identities on the roster. Kept for
   * the next connection too.
   */
  setListeners(identities: readonly string[]): void {
    const same =
      identities.length === this.#listeners.length &&
      identities.every((identity, i) => identity === this.#listeners[i]);
    if (same) return;
    this.#listeners = identities;
    this.#connection?.setListeners(identities);
    // Someone came or went: read the keys now rather than at the next poll.
    this.#keys?.poke();
  }

  /** The E2EE relay changed (the live channel's nudge): the key manager reads it now. */
  pokeKeys(): void {
    this.#keys?.poke();
  }

  /** The connection went away without us: show it and ask again for access, with backoff. */
  #lost(): void {
    if (this.collectSpeakers) this.#speakers([]);
    this.#generation += 1;
    this.#key = null;
    this.sid = null;
    this.#stopKeys();
    void this.#connection?.disconnect().catch(() => {});
    this.#connection = null;
    this.remotes = [];
    this.local = null;
    this.#readQuality('unknown');
    this.status = 'reconnecting';
    this.gaveUp = true;
    const delay = this.#rejoins === 0 ? 0 : reconnectDelay(this.#rejoins);
    this.#rejoins += 1;
    clearTimeout(this.#rejoinTimer);
    this.#rejoinTimer = setTimeout(() => {
      this.#rejoinTimer = undefined;
      this.onLost?.();
    }, delay);
  }

  /**
   * "Rejoin": asks for fresh access at once instead of at the end of the backoff. The admission
   * stands, so no knock: the server's snapshot decides (someone removed meanwhile gets none).
   */
  retryNow(): void {
    if (this.status !== 'reconnecting' && this.status !== 'failed') return;
    clearTimeout(this.#rejoinTimer);
    this.#rejoinTimer = undefined;
    this.#key = null;
    this.#rejoins = Math.max(this.#rejoins, 1);
    this.status = 'reconnecting';
    this.onLost?.();
  }

  async stop(): Promise<void> {
    if (this.collectSpeakers && this.speakerChanges.length > 0) this.#speakers([]);
    this.#generation += 1;
    this.#rejoins = 0;
    clearTimeout(this.#rejoinTimer);
    this.#rejoinTimer = undefined;
    this.#key = null;
    this.sid = null;
    this.displaced = false;
    this.gaveUp = false;
    const connection = this.#connection;
    this.#connection = null;
    this.#stopKeys();
    this.remotes = [];
    this.local = null;
    this.audioBlocked = false;
    this.deviceProblems = NO_DEVICE_PROBLEMS;
    this.screenShareFailed = false;
    this.#readQuality('unknown');
    this.status = 'idle';
    await connection?.disconnect();
  }

  /**
   * Whether one's microphone is on, as the bar shows it: the device's state once connected;
   * until then (connecting, reconnecting), whether it will be on when the connection is made.
   */
  get microphoneOn(): boolean {
    return this.#connection ? (this.local?.microphoneOn ?? false) : this.#wantMicrophone;
  }

  /** As `microphoneOn`, for the camera. */
  get cameraOn(): boolean {
    return this.#connection ? (this.local?.cameraOn ?? false) : this.#wantCamera;
  }

  /**
   * Microphone on ↔ off. While connecting (no connection yet) it turns the wish over, which
   * the connection takes once it is made: a "mute" pressed then is kept, not lost.
   */
  async toggleMicrophone(): Promise<void> {
    const on = this.microphoneOn;
    this.#wantMicrophone = !on;
    await this.#deviceCall('microphone', (c) => c.setMicrophoneEnabled(!on));
  }

  /** Camera on ↔ off; as the microphone while connecting. */
  async toggleCamera(): Promise<void> {
    const on = this.cameraOn;
    this.#wantCamera = !on;
    await this.#deviceCall('camera', (c) => c.setCameraEnabled(!on));
  }

  /** Noise suppression on one's microphone: on ↔ off; returns the new wish. */
  async toggleNoiseSuppression(): Promise<boolean> {
    this.noiseSuppression = !this.noiseSuppression;
    await this.#connection?.setNoiseSuppression(this.noiseSuppression);
    return this.noiseSuppression;
  }

  /** Starts or stops sharing a screen; a cancelled picker is no failure. */
  async toggleScreenShare(): Promise<void> {
    const connection = this.#connection;
    if (!connection) return;
    const on = !(this.local?.screenSharing ?? false);
    this.screenShareFailed = false;
    try {
      await connection.setScreenShareEnabled(on);
    } catch (error) {
      const cancelled =
        error instanceof Error && (error.name === 'NotAllowedError' || error.name === 'AbortError');
      if (!cancelled) this.screenShareFailed = true;
    }
  }

  /** Audio only on or off (see `audioOnly`). */
  async setAudioOnly(on: boolean): Promise<void> {
    if (this.audioOnly === on) return;
    this.audioOnly = on;
    this.#readQuality(this.#quality);
    this.#connection?.setReceiveVideo(!on);
    if (on) {
      this.#cameraBeforeAudioOnly = this.local?.cameraOn ?? this.#wantCamera;
      if (!this.#cameraBeforeAudioOnly) return;
      this.#wantCamera = false;
      await this.#deviceCall('camera', (c) => c.setCameraEnabled(false));
    } else if (this.#cameraBeforeAudioOnly) {
      this.#cameraBeforeAudioOnly = false;
      this.#wantCamera = true;
      await this.#deviceCall('camera', (c) => c.setCameraEnabled(true));
    }
  }

  /** "Not now" to the proposal of audio only. */
  declineAudioOnly(): void {
    this.weak = declineAudioOnly(this.weak);
    clearTimeout(this.#weakTimer);
  }

  /** Follows one's own connection quality; reads it again when a proposal may be due. */
  #readQuality(quality: Quality): void {
    this.#quality = quality;
    const next = watchQuality(this.weak, quality, Date.now(), this.audioOnly);
    if (
      next.weakSince !== this.weak.weakSince ||
      next.propose !== this.weak.propose ||
      next.declined !== this.weak.declined
    )
      this.weak = next;
    clearTimeout(this.#weakTimer);
    this.#weakTimer = undefined;
    const at = nextReadingAt(next, this.audioOnly);
    if (at === null) return;
    this.#weakTimer = setTimeout(
      () => this.#readQuality(this.#quality),
      Math.max(0, at - Date.now()),
    );
  }

  async startAudio(): Promise<void> {
    await this.#connection?.startAudio();
  }

  attachVideo(identity: string, element: HTMLVideoElement): () => void {
    return this.#connection?.attachVideo(identity, element) ?? (() => {});
  }

  attachAudio(identity: string, element: HTMLAudioElement): () => void {
    return this.#connection?.attachAudio(identity, element) ?? (() => {});
  }

  attachScreen(identity: string, element: HTMLVideoElement): () => void {
    return this.#connection?.attachScreen(identity, element) ?? (() => {});
  }

  attachScreenAudio(identity: string, element: HTMLAudioElement): () => void {
    return this.#connection?.attachScreenAudio(identity, element) ?? (() => {});
  }

  async #deviceCall(
    device: MediaDevice,
    call: (connection: MediaConnection) => Promise<void>,
  ): Promise<void> {
    const connection = this.#connection;
    if (!connection) return;
    try {
      await call(connection);
      this.#deviceProblem(device, null);
    } catch (error) {
      this.#deviceProblem(device, deviceProblem(error));
    }
  }

  #deviceProblem(device: MediaDevice, problem: DeviceProblems[MediaDevice]): void {
    if (this.deviceProblems[device] === problem) return;
    this.deviceProblems = { ...this.deviceProblems, [device]: problem };
  }
}
