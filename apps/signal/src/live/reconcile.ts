import fp from 'fastify-plugin';
import { liveMeetingIds } from '@polyphony/db';
import { repeatInBackground } from '../repeat-in-background.ts';

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
    repeatInBackground(app, {
      delayMs: () => opts.intervalMs,
      run: async () => {
        const live = await liveMeetingIds(app.database.db);
        await Promise.all(live.map((id) => app.commands.effects.reconcile(id)));
      },
      failure: 'reconcile pass failed',
    });
  },
  { name: 'reconcile', dependencies: ['db', 'commands'] },
);
