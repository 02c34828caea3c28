import { describe, expect, it } from 'vitest';
import { microphoneChoiceFor, rememberMicrophoneChoice } from './microphone-choice.ts';

function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (k) => items.get(k) ?? null,
    key: (i) => [...items.keys()][i] ?? null,
    removeItem: (k) => void items.delete(k),
    setItem: (k, v) => void items.set(k, v),
  };
}

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
