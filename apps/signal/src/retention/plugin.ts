import { performance } from 'node:perf_hooks';
import fp from 'fastify-plugin';
import { Counter } from 'prom-client';
import { purgeOnce, type PurgeReport } from './purge.ts';
import { repeatInBackground } from '../repeat-in-background.ts';
import { purgeDelayMs } from './schedule.ts';

export interface RetentionOptions {
  /** The app's clock (epoch ms); tests move it past the retention period. */
  readonly now: () => number;
  readonly retentionMs: number;
  /** Mean time between runs; 0 turns the timer off (tests call `purgeNow`). */
  readonly intervalMs: number;
  /** Meetings per run (default 100). */
  readonly batchSize?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    retention: {
      /** Runs one purge now (after any run in progress) and reports what it removed. */
      purgeNow(): Promise<PurgeReport>;
    };
  }
}

const DEFAULT_BATCH = 100;

/**
 * The scheduled retention purge (ADR 0011): every `intervalMs` with jitter, never at boot, one
 * run at a time per node; several nodes on one database are safe because each meeting is
 * purged in its own transaction under a row lock that other nodes skip. Logs and metrics carry
 * counts and duration only.
 */
export default fp<RetentionOptions>(
  async (app, opts) => {
    const policy = { retentionMs: opts.retentionMs, batchSize: opts.batchSize ?? DEFAULT_BATCH };
    const meetings = new Counter({
      name: 'retention_purged_meetings_total',
      help: 'Meetings whose personal data the retention purge removed (purged: summary kept; deleted: never held)',
      labelNames: ['outcome'] as const,
      registers: [app.metrics.registry],
    });
    const runs = new Counter({
      name: 'retention_purge_runs_total',
      help: 'Retention purge runs by result',
      labelNames: ['result'] as const,
      registers: [app.metrics.registry],
    });

    const pass = async (): Promise<PurgeReport> => {
      const started = performance.now();
      try {
        const report = await purgeOnce(app.database.db, policy, opts.now(), (err) =>
          app.log.error({ err }, 'retention purge of a meeting failed'),
        );
        meetings.inc({ outcome: 'purged' }, report.meetingsPurged);
        meetings.inc({ outcome: 'deleted' }, report.meetingsDeleted);
        runs.inc({ result: report.meetingsFailed > 0 ? 'partial' : 'ok' });
        app.log.info(
          { ...report, durationMs: Math.round(performance.now() - started) },
          'retention purge',
        );
        return report;
      } catch (err) {
        runs.inc({ result: 'failed' });
        throw err;
      }
    };

    let running: Promise<unknown> = Promise.resolve();
    const purgeNow = (): Promise<PurgeReport> => {
      const run = running.then(pass);
      running = run.catch(() => {});
      return run;
    };
    app.decorate('retention', { purgeNow });

    if (opts.intervalMs > 0) {
      repeatInBackground(app, {
        delayMs: () => purgeDelayMs(opts.intervalMs),
        run: purgeNow,
        failure: 'retention purge failed',
      });
    }
    // a run asked for by hand (tests) is awaited on close too
    app.addHook('onClose', async () => {
      await running;
    });
  },
  { name: 'retention', dependencies: ['db', 'metrics'] },
);
