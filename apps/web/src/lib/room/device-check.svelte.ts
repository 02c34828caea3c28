import { deviceProblem, type DeviceProblem } from './device-problem.ts';

export type DeviceCheckStatus = 'idle' | 'checking' | 'ready' | 'problem';

/** A camera the person may choose; `label` is empty when the browser gives no name. */
export interface CameraOption {
  readonly deviceId: string;
  readonly label: string;
}

/**
 * The pre-join camera and microphone check: a live preview stream, a microphone level and, with
 * more than one camera, the choice of camera (`cameraId`, which the room then publishes).
 * Nothing is sent anywhere; the stream is released before joining (LiveKit opens its own).
 */
export class DeviceCheck {
  status = $state<DeviceCheckStatus>('idle');
  problem = $state<DeviceProblem | null>(null);
  stream = $state.raw<MediaStream | null>(null);
  hasCamera = $state(false);
  hasMicrophone = $state(false);
  /** 0…1, roughly how loud the microphone hears the room. */
  level = $state(0);
  /** The cameras this device has (known once the browser allowed one). */
  cameras = $state.raw<readonly CameraOption[]>([]);
  /** The camera in use: the one chosen, else the one the browser picked. */
  cameraId = $state<string | null>(null);

  #audio: AudioContext | null = null;
  #timer: ReturnType<typeof setInterval> | undefined;

  async start(): Promise<void> {
    this.stop();
    this.status = 'checking';
    this.problem = null;
    const devices = navigator.mediaDevices as MediaDevices | undefined;
    if (!devices?.getUserMedia) {
      this.#fail('unsupported');
      return;
    }
    let firstError: unknown = null;
    const video = this.cameraId ? { deviceId: { exact: this.cameraId } } : true;
    for (const constraints of [
      { audio: true, video },
      { audio: true, video: false },
      { audio: false, video },
    ]) {
      try {
        const stream = await devices.getUserMedia(constraints);
        if (this.status !== 'checking') {
          for (const track of stream.getTracks()) track.stop();
          return;
        }
        this.#use(stream);
        return;
      } catch (error) {
        firstError ??= error;
        // Only a missing device is worth trying with less; a refusal stays a refusal.
        if (deviceProblem(error) !== 'no_device') break;
      }
    }
    this.#fail(deviceProblem(firstError));
  }

  /** Uses another camera: the preview restarts with it, and the room will publish it. */
  async chooseCamera(deviceId: string): Promise<void> {
    if (deviceId === this.cameraId && this.status === 'ready') return;
    this.cameraId = deviceId;
    await this.start();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    void this.#audio?.close().catch(() => {});
    this.#audio = null;
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = null;
    this.level = 0;
    this.status = 'idle';
  }

  #fail(problem: DeviceProblem): void {
    this.status = 'problem';
    this.problem = problem;
  }

  #use(stream: MediaStream): void {
    this.stream = stream;
    this.hasCamera = stream.getVideoTracks().length > 0;
    this.hasMicrophone = stream.getAudioTracks().length > 0;
    this.cameraId = stream.getVideoTracks()[0]?.getSettings().deviceId ?? this.cameraId;
    this.status = 'ready';
    if (this.hasMicrophone) this.#meter(stream);
    if (this.hasCamera) void this.#listCameras();
  }

  async #listCameras(): Promise<void> {
    try {
      const devices = await navigator.mediaDevices.enumerateDevices();
      this.cameras = devices
        .filter((d) => d.kind === 'videoinput' && d.deviceId !== '')
        .map((d) => ({ deviceId: d.deviceId, label: d.label }));
    } catch {
      // Without the list the default camera is used; nothing to choose.
    }
  }

  #meter(stream: MediaStream): void {
    try {
      const audio = new AudioContext();
      const analyser = audio.createAnalyser();
      analyser.fftSize = 256;
      audio.createMediaStreamSource(stream).connect(analyser);
      const samples = new Uint8Array(analyser.fftSize);
      this.#audio = audio;
      this.#timer = setInterval(() => {
        analyser.getByteTimeDomainData(samples);
        let peak = 0;
        for (const s of samples) peak = Math.max(peak, Math.abs(s - 128));
        this.level = Math.min(1, peak / 64);
      }, 150);
    } catch {
      // A level meter is a nicety; the preview still works without it.
    }
  }
}
