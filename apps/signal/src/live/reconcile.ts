import fp from 'fastify-plugin';
import { liveMeetingIds } from '@polyphony/db';
import type { ChannelBounds } from '@polyphony/domain';
import { repeatInBackground } from '../repeat-in-background.ts';
import { dropGoneKnocks, endIfIdle } from './presence.ts';

export interface ReconcileOptions {
  /** How often to compare every live meeting's room with the database; 0 turns it off. */
  readonly intervalMs: number;
  /** When a waiting page's live channel counts as gone (its knock then leaves the lobby). */
  readonly channels: ChannelBounds;
  /** How long a live meeting may stay empty and quiet before it ends itself. */
  readonly idleEndMs: number;
}

/**
 * The reconcile loop: every few seconds, for each live meeting, LiveKit's participant list is
 * compared with the database. Identities that are not currently admitted are removed (and
 * logged); permissions that drifted from the stored mode are replaced. This is the safety net
 * behind the webhook (which can be lost) and behind races between signalling nodes. At most one node reconciles a meeting at a time: a pass
 * leaves alone a meeting whose lock another node holds. The same
 * pass notes admitted people whose connection is gone, and drops knocks whose waiting page's
 * live channel has been gone past the bound, and ends meetings that have stayed empty and quiet
 * for the idle bound.
 */
export default fp<ReconcileOptions>(
  async (app, opts) => {
    if (opts.intervalMs <= 0) return;
    repeatInBackground(app, {
      delayMs: () => opts.intervalMs,
      run: async () => {
        const live = await liveMeetingIds(app.database.db);
        await Promise.all(
          live.map(async (id) => {
            // Another node is working on this meeting: its turn, not ours (ADR 0026).
            if ((await app.commands.effects.reconcile(id)) === null) return;
            await dropGoneKnocks(app.commands, id, opts.channels);
            await endIfIdle(app.commands, id, opts.idleEndMs);
          }),
        );
      },
      failure: 'reconcile pass failed',
    });
  },
  { name: 'reconcile', dependencies: ['db', 'commands'] },
);
