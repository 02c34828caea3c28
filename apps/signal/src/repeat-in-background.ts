import type { FastifyInstance } from 'fastify';

export interface BackgroundTask {
  /** Wait before each run, counted from the app being ready and then from each run's end. */
  readonly delayMs: () => number;
  readonly run: () => Promise<unknown>;
  /** Logged, with the error, when a run fails (the next one is still scheduled). */
  readonly failure: string;
}

/**
 * Runs `task` again and again while the app is up: never at boot, never two runs at once; on
 * close the timer stops and a run in progress is awaited, so `app.close()` leaves nothing behind.
 */
export function repeatInBackground(app: FastifyInstance, task: BackgroundTask): void {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = task
        .run()
        .catch((err: unknown) => app.log.error({ err }, task.failure))
        .finally(schedule);
    }, task.delayMs());
    timer.unref();
  };
  app.addHook('onReady', async () => schedule());
  app.addHook('onClose', async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  });
}
