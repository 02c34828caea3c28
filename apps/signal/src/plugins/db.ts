import fp from 'fastify-plugin';
import { openDatabase, type Database } from '@polyphony/db';
import type { DatabaseConfig } from '@polyphony/db';

declare module 'fastify' {
  interface FastifyInstance {
    database: Database;
  }
}

export interface DbPluginOptions {
  readonly config: DatabaseConfig;
  /** An already open database (tests share one per file); the app then leaves it open on close. */
  readonly database?: Database;
}

/** Opens the database, applies the committed migrations, and closes it with the app. */
export default fp<DbPluginOptions>(
  async (app, opts) => {
    const owned = !opts.database;
    const database = opts.database ?? (await openDatabase(opts.config));
    try {
      await database.migrate();
    } catch (err) {
      if (owned) await database.close();
      throw err;
    }
    app.decorate('database', database);
    if (owned) app.addHook('onClose', () => database.close());
  },
  { name: 'db' },
);
