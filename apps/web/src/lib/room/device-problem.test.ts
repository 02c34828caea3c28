import { describe, expect, it } from 'vitest';
import { deviceProblem } from './device-problem.ts';

describe('deviceProblem', () => {
  it.each([
    ['NotAllowedError', 'denied'],
    ['SecurityError', 'denied'],
    ['NotFoundError', 'no_device'],
    ['OverconstrainedError', 'no_device'],
    ['NotReadableError', 'busy'],
    ['TypeError', 'unsupported'],
    ['Weird', 'other'],
  ])('%s → %s', (name, expected) => {
    expect(deviceProblem({ name })).toBe(expected);
  });

  it('treats anything without a name as other', () => {
    expect(deviceProblem('nope')).toBe('other');
    expect(deviceProblem(null)).toBe('other');
  });
});
