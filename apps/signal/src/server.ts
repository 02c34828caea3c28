import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { drainApp } from './plugins/drain.ts';

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  throw err;
}

const app = await buildApp(config);
// Started by `npm start` or the test stack, the service serves the socket its parent bound and
// handed over (fd 3), so the port the others were told is the one it serves.
await app.listen(
  config.listenFd === null
    ? { host: config.host, port: config.port }
    : // Node's listen takes `fd` (Fastify passes its options through; its types omit it).
      ({ host: config.host, fd: config.listenFd } as { host: string }),
);

// Drain, then exit; past the deadline, exit anyway (the orchestrator would kill us soon after).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.log.info({ signal, deadlineMs: config.drainTimeoutMs }, 'shutting down');
    setTimeout(() => {
      app.log.warn('drain deadline passed: exiting');
      process.exit(1);
    }, config.drainTimeoutMs);
    drainApp(app).then(
      () => process.exit(0),
      (err: unknown) => {
        app.log.error({ err }, 'drain failed');
        process.exit(1);
      },
    );
  });
}
