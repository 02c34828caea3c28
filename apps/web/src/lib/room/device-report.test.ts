import { describe, expect, it } from 'vitest';
import { NO_DEVICE_PROBLEMS, deviceReport } from './device-report.ts';

describe('deviceReport', () => {
  it.each([
    ['nothing failed', NO_DEVICE_PROBLEMS, { camera: true, microphone: false }, null],
    [
      'the microphone was refused while the camera works',
      { camera: null, microphone: 'denied' },
      { camera: true, microphone: false },
      { failed: ['microphone'], working: ['camera'], problem: 'denied' },
    ],
    [
      'no camera found; the microphone works',
      { camera: 'no_device', microphone: null },
      { camera: false, microphone: true },
      { failed: ['camera'], working: ['microphone'], problem: 'no_device' },
    ],
    [
      'both failed: the microphone reason comes first',
      { camera: 'busy', microphone: 'denied' },
      { camera: false, microphone: false },
      { failed: ['microphone', 'camera'], working: [], problem: 'denied' },
    ],
    [
      'a device that started later counts as working',
      { camera: null, microphone: 'busy' },
      { camera: true, microphone: true },
      null,
    ],
  ] as const)('%s', (_what, problems, on, expected) => {
    expect(deviceReport(problems, on)).toEqual(expected);
  });
});
