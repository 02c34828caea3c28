import { describe, expect, it } from 'vitest';
import { createInProcessHub, keysPayload, parseKeysPayload, type KeysAudience } from './hub.ts';

const MEETING = '0b6c3a52-3d7e-4a53-9c1e-2f8f3b7f6a10';
const A = '5f0e2c1a-9b8d-4c7e-a6f5-1d2c3b4a5e6f';
const B = '7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d';

describe('the E2EE relay nudge', () => {
  it('names its audience in the NOTIFY payload, or nobody for everyone, and reads back the same', () => {
    expect(keysPayload(MEETING, null)).toBe(MEETING);
    expect(parseKeysPayload(MEETING)).toEqual({ meetingId: MEETING, audience: null });
    const payload = keysPayload(MEETING, [A, B, A])!;
    expect(payload).toBe(`${MEETING}:${A},${B}`);
    expect(parseKeysPayload(payload)).toEqual({ meetingId: MEETING, audience: [A, B] });
  });

  it('tells nobody when the audience is empty, and everyone when it would not fit a NOTIFY', () => {
    expect(keysPayload(MEETING, [])).toBeNull();
    const many = Array.from(
      { length: 400 },
      (_, i) => `${A.slice(0, 30)}${String(i).padStart(6, '0')}`,
    );
    expect(keysPayload(MEETING, many)).toBe(MEETING);
  });

  it('refuses a malformed payload rather than guess', () => {
    for (const bad of [
      '',
      'not-a-meeting',
      `${MEETING}:`,
      `${MEETING}:${A},`,
      `${MEETING}:a b`,
      `${MEETING}:${'x'.repeat(65)}`,
    ]) {
      expect(parseKeysPayload(bad)).toBeNull();
    }
  });

  it('in one process, reaches each listener with its audience; an empty audience reaches none', () => {
    const hub = createInProcessHub(() => undefined);
    const heard: KeysAudience[] = [];
    const stop = hub.subscribeKeys(MEETING, (audience) => heard.push(audience));
    hub.publishKeys(MEETING, [A]);
    hub.publishKeys(MEETING, []);
    hub.publishKeys(MEETING, null);
    stop();
    hub.publishKeys(MEETING, [B]);
    expect(heard).toEqual([[A], null]);
  });
});
