import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateDrizzleJson, generateMigration } from 'drizzle-kit/api';
import * as schema from './schema/index.ts';
import { MIGRATIONS_FOLDER } from './open-database.ts';

interface Journal {
  entries: { idx: number; tag: string }[];
}

/** The newest drizzle-kit snapshot (custom SQL migrations copy the previous one). */
function latestSnapshot(): Parameters<typeof generateMigration>[0] {
  const journal = JSON.parse(
    readFileSync(join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8'),
  ) as Journal;
  const last = journal.entries.at(-1);
  if (!last) throw new Error('no migrations');
  const file = join(MIGRATIONS_FOLDER, `meta/${String(last.idx).padStart(4, '0')}_snapshot.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as Parameters<typeof generateMigration>[0];
}

describe('schema and migrations', () => {
  it('have not drifted (run `pnpm db:generate` after changing the schema)', async () => {
    const committed = latestSnapshot();
    const current = generateDrizzleJson(schema, committed.id);
    const statements = await generateMigration(committed, current);
    expect(statements).toEqual([]);
  });
});
