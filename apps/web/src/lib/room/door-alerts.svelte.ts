import { centreDeclined, doorChimes, type CentreDeclined } from './door-news.ts';
import type { RoomEvent } from './live-messages.ts';
import type { LiveState } from './live-state.ts';

const MUTE_KEY = 'polyphony.door-sound-muted';

function readMuted(): boolean {
  try {
    return typeof localStorage !== 'undefined' && localStorage.getItem(MUTE_KEY) === '1';
  } catch {
    return false;
  }
}

/** A short, soft two-note chime made with WebAudio (no sound file to load). */
function playChime(context: AudioContext): void {
  if (context.state === 'suspended') void context.resume();
  const start = context.currentTime + 0.02;
  [660, 880].forEach((frequency, i) => {
    const at = start + i * 0.18;
    const tone = context.createOscillator();
    const gain = context.createGain();
    tone.type = 'sine';
    tone.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.2, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.5);
    tone.connect(gain).connect(context.destination);
    tone.start(at);
    tone.stop(at + 0.55);
  });
}

/**
 * The door, for those who hold a key to it: a chime when someone knocks or the centre person
 * answers (unless muted; the choice is remembered on this device), and the centre person's
 * "no" kept until read. `played` counts the chimes (the room shows it as `data-chimes`).
 */
export class DoorAlerts {
  muted = $state(readMuted());
  played = $state(0);
  declined = $state.raw<CentreDeclined | null>(null);
  #context: AudioContext | null = null;

  setMuted(muted: boolean): void {
    this.muted = muted;
    try {
      localStorage.setItem(MUTE_KEY, muted ? '1' : '0');
    } catch {
      // Private browsing may refuse storage: the choice then lasts for this page only.
    }
  }

  /** After each live message: what changed at the door, for this viewer. */
  observe(before: LiveState | null, after: LiveState, event: RoomEvent | null, seq: number): void {
    const viewer = after.me.role;
    const no = before && event ? centreDeclined(viewer, before, event, seq) : null;
    if (no !== null) {
      this.declined = no;
      this.#chime();
      return;
    }
    if (before?.lobby !== after.lobby && doorChimes(viewer, before?.lobby ?? null, after.lobby)) {
      this.#chime();
    }
  }

  dismissDeclined(): void {
    this.declined = null;
  }

  close(): void {
    void this.#context?.close();
    this.#context = null;
  }

  #chime(): void {
    if (this.muted) return;
    this.played += 1;
    try {
      playChime((this.#context ??= new AudioContext()));
    } catch {
      // No audio output here: the tab title still says someone is waiting.
    }
  }
}
