import Fastify from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { repeatInBackground } from './repeat-in-background.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('repeatInBackground', () => {
  it('runs after each delay, never at boot, goes on after a failure, and logs it', async () => {
    vi.useFakeTimers();
    const app = Fastify();
    const errors: unknown[] = [];
    vi.spyOn(app.log, 'error').mockImplementation((obj: unknown) => {
      errors.push(obj);
    });
    let runs = 0;
    repeatInBackground(app, {
      delayMs: () => 1000,
      run: async () => {
        runs++;
        if (runs === 2) throw new Error('boom');
      },
      failure: 'task failed',
    });
    await app.ready();
    expect(runs).toBe(0);
    await vi.advanceTimersByTimeAsync(999);
    expect(runs).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(runs).toBe(3);
    expect(errors).toHaveLength(1);
    await app.close();
    await vi.advanceTimersByTimeAsync(5000);
    expect(runs).toBe(3);
  });

  it('close waits for the run in progress, and none starts after it', async () => {
    vi.useFakeTimers();
    const app = Fastify();
    let finish: () => void = () => {};
    let started = 0;
    let finished = 0;
    repeatInBackground(app, {
      delayMs: () => 10,
      run: async () => {
        started++;
        await new Promise<void>((resolve) => (finish = resolve));
        finished++;
      },
      failure: 'task failed',
    });
    await app.ready();
    await vi.advanceTimersByTimeAsync(10);
    expect(started).toBe(1);
    let closed = false;
    const closing = app.close().then(() => (closed = true));
    await vi.advanceTimersByTimeAsync(50);
    expect(closed).toBe(false);
    finish();
    await closing;
    expect(finished).toBe(1);
    await vi.advanceTimersByTimeAsync(50);
    expect(started).toBe(1);
  });
});
