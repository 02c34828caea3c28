import { describe, expect, it } from 'vitest';
import { memoryStorage } from '$lib/testing/memory-storage.ts';
import { microphoneChoiceFor, rememberMicrophoneChoice } from './microphone-choice.ts';

describe('microphone choice at joining', () => {
  it('keeps one choice per meeting; no choice means on', () => {
    const storage = memoryStorage();
    rememberMicrophoneChoice('m1', false, storage);
    rememberMicrophoneChoice('m2', true, storage);
    expect(microphoneChoiceFor('m1', storage)).toBe(false);
    expect(microphoneChoiceFor('m2', storage)).toBe(true);
    expect(microphoneChoiceFor('m3', storage)).toBe(true);
  });

  it('a later choice replaces the earlier one', () => {
    const storage = memoryStorage();
    rememberMicrophoneChoice('m1', false, storage);
    rememberMicrophoneChoice('m1', true, storage);
    expect(microphoneChoiceFor('m1', storage)).toBe(true);
  });

  it('survives a storage that throws (the microphone is then on)', () => {
    const broken = {
      ...memoryStorage(),
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    expect(() => rememberMicrophoneChoice('m1', false, broken)).not.toThrow();
    expect(microphoneChoiceFor('m1', broken)).toBe(true);
  });
});
