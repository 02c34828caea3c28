import fp from 'fastify-plugin';
import { liveMeetingIds } from '@polyphony/db';

export interface ReconcileOptions {
  /** How often to compare every live meeting's room with the database; 0 turns it off. */
  readonly intervalMs: number;
}

/**
 * The reconcile loop: every few seconds, for each live meeting, LiveKit's participant list is
 * compared with the database. Identities that are not currently admitted are removed (and
 * logged); permissions that drifted from the stored mode are replaced. This is the safety net
 * behind the webhook (which can be lost) and behind races between signalling nodes.
 */
export default fp<ReconcileOptions>(
  async (app, opts) => {
    if (opts.intervalMs <= 0) return;
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<void> = Promise.resolve();
    let stopped = false;

    const pass = async () => {
      const live = await liveMeetingIds(app.database.db);
      await Promise.all(live.map((id) => app.commands.effects.reconcile(id)));
    };
    const schedule = () => {
      if (stopped) return;
      timer = setTimeout(() => {
        running = pass()
          .catch((err: unknown) => app.log.error({ err }, 'reconcile pass failed'))
          .finally(schedule);
      }, opts.intervalMs);
      timer.unref();
    };

    app.addHook('onReady', async () => schedule());
    app.addHook('onClose', async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    });
  },
  { name: 'reconcile', dependencies: ['db', 'commands'] },
);
