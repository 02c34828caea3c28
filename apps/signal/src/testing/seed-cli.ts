/**
 * Seeds a live meeting into the server's database and prints the result as one JSON line.
 *   node --import tsx apps/signal/src/testing/seed-cli.ts '{"participants":[{"displayName":"A","role":"facilitator"}]}'
 * Uses DATABASE_URL or PGLITE_DIR like the server. PGlite is single-process: run this before
 * starting the server on the same PGLITE_DIR.
 */
import { Compile } from 'typebox/compile';
import { Type } from 'typebox';
import { openDatabase } from '@polyphony/db';
import { MEETING_ROLES, MODES } from '@polyphony/domain';
import { loadDatabaseConfig } from '../config.ts';
import { seedMeeting } from './seed.ts';

const SeedInputSchema = Compile(
  Type.Object({
    participants: Type.Array(
      Type.Object({ displayName: Type.String({ minLength: 1 }), role: Type.Enum(MEETING_ROLES) }),
      { minItems: 1 },
    ),
    mode: Type.Optional(Type.Enum(MODES)),
  }),
);

async function main(): Promise<void> {
  const raw = process.argv[2];
  let input: unknown;
  try {
    input = JSON.parse(raw ?? '');
  } catch {
    input = undefined;
  }
  if (!SeedInputSchema.Check(input)) {
    process.stderr.write(
      'usage: seed-cli.ts \'{"participants":[{"displayName":"…","role":"facilitator"}]}\'\n',
    );
    process.exit(2);
  }
  const database = await openDatabase(loadDatabaseConfig());
  try {
    await database.migrate();
    const result = await seedMeeting(database.db, input);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await database.close();
  }
}

await main();
