/** A short rising tune of three notes, made with WebAudio (no sound file to load). */
function playTune(context: AudioContext): void {
  if (context.state === 'suspended') void context.resume();
  const start = context.currentTime + 0.05;
  [523.25, 659.25, 783.99].forEach((frequency, i) => {
    const at = start + i * 0.3;
    const tone = context.createOscillator();
    const gain = context.createGain();
    tone.type = 'sine';
    tone.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.3, at + 0.03);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.45);
    tone.connect(gain).connect(context.destination);
    tone.start(at);
    tone.stop(at + 0.5);
  });
}

export type SpeakerTestStatus = 'idle' | 'played' | 'unavailable';

/**
 * "Test speaker" before joining: plays a short tune through the device's sound output, so the
 * person knows they will hear the others (or turns the volume up first).
 */
export class SpeakerTest {
  status = $state<SpeakerTestStatus>('idle');
  #context: AudioContext | null = null;

  play(): void {
    try {
      playTune((this.#context ??= new AudioContext()));
      this.status = 'played';
    } catch {
      this.status = 'unavailable';
    }
  }

  close(): void {
    void this.#context?.close().catch(() => {});
    this.#context = null;
  }
}
