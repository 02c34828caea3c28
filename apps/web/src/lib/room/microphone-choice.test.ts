import { describe, expect, it } from 'vitest';
import { memoryStorage } from '$lib/testing/memory-storage.ts';
import {
  cameraChoiceFor,
  microphoneChoiceFor,
  noiseSuppressionChoiceFor,
  rememberCameraChoice,
  rememberMicrophoneChoice,
  rememberNoiseSuppressionChoice,
} from './microphone-choice.ts';

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

describe('camera choice at joining', () => {
  it('keeps the chosen camera per meeting; none chosen means the default camera', () => {
    const storage = memoryStorage();
    rememberCameraChoice('m1', 'camera-2', storage);
    rememberCameraChoice('m2', null, storage);
    expect(cameraChoiceFor('m1', storage)).toBe('camera-2');
    expect(cameraChoiceFor('m2', storage)).toBeNull();
    expect(cameraChoiceFor('m3', storage)).toBeNull();
  });

  it('a later choice replaces the earlier one; no choice keeps it', () => {
    const storage = memoryStorage();
    rememberCameraChoice('m1', 'camera-2', storage);
    rememberCameraChoice('m1', 'camera-1', storage);
    rememberCameraChoice('m1', null, storage);
    expect(cameraChoiceFor('m1', storage)).toBe('camera-1');
  });
});

describe('noise suppression at joining', () => {
  it('is on for guests and off for the team until the person uses the switch', () => {
    const storage = memoryStorage();
    expect(noiseSuppressionChoiceFor('m1', false, storage)).toBe(true);
    expect(noiseSuppressionChoiceFor('m1', true, storage)).toBe(false);
    rememberNoiseSuppressionChoice('m1', false, storage);
    rememberNoiseSuppressionChoice('m2', true, storage);
    expect(noiseSuppressionChoiceFor('m1', false, storage)).toBe(false);
    expect(noiseSuppressionChoiceFor('m2', true, storage)).toBe(true);
    expect(noiseSuppressionChoiceFor('m3', true, storage)).toBe(false);
  });
});
