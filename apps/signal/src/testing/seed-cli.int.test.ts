import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import {
  eventsSince,
  findParticipantByGuestToken,
  openDatabase,
  toMeetingEvent,
} from '@polyphony/db';
import { replay } from '@polyphony/domain';
import type { SeedResult } from './seed.ts';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('./seed-cli.ts', import.meta.url));

describe('seed CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'polyphony-seed-'));
  const { DATABASE_URL: _unused, ...inherited } = process.env;
  const env = { ...inherited, PGLITE_DIR: dir };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('seeds a live meeting into PGLITE_DIR and prints one JSON line', async () => {
    const input = {
      participants: [
        { displayName: 'Dr Lee', role: 'facilitator' },
        { displayName: 'Sam', role: 'centre' },
      ],
    };
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', CLI, JSON.stringify(input)],
      { env },
    );
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0]!) as SeedResult;
    expect(result.participants.map((p) => [p.role, p.displayName])).toEqual([
      ['facilitator', 'Dr Lee'],
      ['centre', 'Sam'],
    ]);

    const database = await openDatabase({ kind: 'pglite', dataDir: dir });
    try {
      const who = await findParticipantByGuestToken(
        database.db,
        result.participants[1]!.sessionToken,
      );
      expect(who).toEqual({
        participantId: result.participants[1]!.participantId,
        meetingId: result.meetingId,
      });
      const events = await eventsSince(database.db, result.meetingId, 0);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      const state = replay(events.map(toMeetingEvent));
      expect(state.status).toBe('live');
      expect(state.participants.map((p) => [p.id, p.role, p.state, p.admissionNumber])).toEqual(
        result.participants.map((p) => [p.participantId, p.role, 'admitted', 1]),
      );
    } finally {
      await database.close();
    }
  }, 90_000);

  it('refuses bad input with a usage line and exit code 2', async () => {
    const failure = await run(process.execPath, ['--import', 'tsx', CLI, '{"participants":[]}'], {
      env,
    }).catch((err: { code: number; stderr: string }) => err);
    expect(failure).toMatchObject({ code: 2, stderr: expect.stringContaining('usage') });
  }, 60_000);
});
