// Looks for secrets where they must never be: every row of a stack's database, log output,
// LiveKit's participant and room metadata. Used after a full encrypted run (issue 15) to show
// that no media key or device secret reached a server.
import { RoomServiceClient, TwirpError } from 'livekit-server-sdk';
import postgres from 'postgres';
import type { DatabaseTarget } from './database.ts';
import type { LivekitAdmin } from './livekit-admin.ts';

/** A secret to look for: its raw bytes and a label for the report (never the secret itself). */
export interface Secret {
  readonly label: string;
  readonly bytes: Uint8Array;
}

/** A place that was read, as text and (when it is a file) as raw bytes. */
export interface ScanSource {
  readonly where: string;
  readonly text: string;
  readonly raw?: Buffer;
}

/** Where a secret was found: the source and the form it had. */
export interface SecretHit {
  readonly label: string;
  readonly where: string;
  readonly form: string;
}

/** Hex (found in any case), base64 with and without padding, base64url. */
export interface SecretForms {
  readonly hex: string;
  readonly base64: string;
  readonly base64Unpadded: string;
  readonly base64url: string;
}

/** The forms a secret can take in text. */
export function secretForms(bytes: Uint8Array): SecretForms {
  const buffer = Buffer.from(bytes);
  const base64 = buffer.toString('base64');
  return {
    hex: buffer.toString('hex'),
    base64,
    base64Unpadded: base64.replace(/=+$/, ''),
    base64url: buffer.toString('base64url'),
  };
}

/** Every secret in every source, in every form (hex case-insensitively; raw bytes in files). */
export function findSecrets(
  sources: readonly ScanSource[],
  secrets: readonly Secret[],
): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const source of sources) {
    const lower = source.text.toLowerCase();
    for (const secret of secrets) {
      const forms = secretForms(secret.bytes);
      for (const [form, value] of Object.entries(forms)) {
        const found = form === 'hex' ? lower.includes(value) : source.text.includes(value);
        if (found) hits.push({ label: secret.label, where: source.where, form });
      }
      if (source.raw?.includes(Buffer.from(secret.bytes)))
        hits.push({ label: secret.label, where: source.where, form: 'raw' });
    }
  }
  return hits;
}

/**
 * Every row of every table outside the system schemas, as Postgres renders it (`row::text`:
 * bytea as `\x…` hex, JSON as text). A PGlite folder can be read only once the signal service
 * that held it has stopped.
 */
export async function databaseRows(target: DatabaseTarget): Promise<ScanSource[]> {
  const tablesSql = `SELECT table_schema AS s, table_name AS t FROM information_schema.tables
    WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`;
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const rowsSql = (s: string, t: string) =>
    `SELECT x::text AS row FROM ${quote(s)}.${quote(t)} AS x`;
  const sources: ScanSource[] = [];
  if (target.kind === 'postgres') {
    const sql = postgres(target.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    try {
      for (const { s, t } of await sql.unsafe<{ s: string; t: string }[]>(tablesSql)) {
        const rows = await sql.unsafe<{ row: string }[]>(rowsSql(s, t));
        sources.push({ where: `db ${s}.${t}`, text: rows.map((r) => r.row).join('\n') });
      }
    } finally {
      await sql.end();
    }
    return sources;
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(target.env.PGLITE_DIR!);
  try {
    const tables = await db.query<{ s: string; t: string }>(tablesSql);
    for (const { s, t } of tables.rows) {
      const rows = await db.query<{ row: string }>(rowsSql(s, t));
      sources.push({ where: `db ${s}.${t}`, text: rows.rows.map((r) => r.row).join('\n') });
    }
  } finally {
    await db.close();
  }
  return sources;
}

/** Runs a statement on the stack's database (a scan's control plants a secret with it). */
export async function databaseExec(target: DatabaseTarget, statement: string): Promise<void> {
  if (target.kind === 'postgres') {
    const sql = postgres(target.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    try {
      await sql.unsafe(statement);
    } finally {
      await sql.end();
    }
    return;
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(target.env.PGLITE_DIR!);
  try {
    await db.exec(statement);
  } finally {
    await db.close();
  }
}

/**
 * What LiveKit holds about a meeting's room and everyone in it beyond media: the room's
 * metadata, each participant's name, metadata and attributes (RoomService, as the signal
 * service reads it).
 */
export async function livekitMetadata(
  admin: LivekitAdmin,
  meetingId: string,
): Promise<ScanSource[]> {
  const service = new RoomServiceClient(admin.httpUrl, admin.apiKey, admin.apiSecret);
  const room = `meeting-${meetingId}`;
  const sources: ScanSource[] = [];
  const rooms = await service.listRooms([room]);
  for (const r of rooms) sources.push({ where: `livekit room ${r.name}`, text: r.metadata });
  try {
    for (const p of await service.listParticipants(room)) {
      sources.push({
        where: `livekit participant ${p.identity}`,
        text: JSON.stringify({ name: p.name, metadata: p.metadata, attributes: p.attributes }),
      });
    }
  } catch (err) {
    if (!(err instanceof TwirpError && err.status === 404)) throw err;
  }
  return sources;
}

/** Sets one attribute of a participant (a scan's control plants a secret with it). */
export async function setLivekitAttribute(
  admin: LivekitAdmin,
  meetingId: string,
  identity: string,
  attribute: { readonly key: string; readonly value: string },
): Promise<void> {
  const service = new RoomServiceClient(admin.httpUrl, admin.apiKey, admin.apiSecret);
  await service.updateParticipant(`meeting-${meetingId}`, identity, {
    attributes: { [attribute.key]: attribute.value },
  });
}
