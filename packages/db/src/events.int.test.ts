import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { MeetingEvent } from '@polyphony/domain';
import { appendEvents, eventsSince, MeetingNotFoundError, toMeetingEvent } from './events.ts';
import { meetingEvents, meetings, networks, organisations, participants } from './schema/index.ts';
import type { Db } from './types.ts';
import {
  DATABASE_OPEN_TIMEOUT_MS,
  testDatabaseTargets,
  type TestDatabase,
} from './testing/index.ts';

const AT = Date.UTC(2026, 0, 2, 3, 4, 5);
const hand = (participantId: string): MeetingEvent => ({
  type: 'hand.raised',
  participantId,
  at: AT,
});

async function newMeeting(db: Db): Promise<string> {
  const [org] = await db.insert(organisations).values({ name: 'Org' }).returning();
  const [network] = await db
    .insert(networks)
    .values({ organisationId: org!.id, label: 'N', firstContactAt: new Date() })
    .returning();
  const [meeting] = await db
    .insert(meetings)
    .values({ networkId: network!.id, state: 'live' })
    .returning();
  return meeting!.id;
}

describe.each(testDatabaseTargets())('storage on $name', (target) => {
  let t: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    t = await target.open();
    db = t.database.db;
  }, DATABASE_OPEN_TIMEOUT_MS);
  afterAll(() => t?.dispose(), DATABASE_OPEN_TIMEOUT_MS);

  it('migrations are idempotent and the database answers', async () => {
    await t.database.migrate();
    expect(await t.database.ping()).toBe(true);
  });

  it('applies meeting defaults (dialogue, default settings, seq 0)', async () => {
    const id = await newMeeting(db);
    const [m] = await db.select().from(meetings).where(eq(meetings.id, id));
    expect(m).toMatchObject({
      mode: 'dialogue',
      state: 'live',
      lastSeq: 0,
      settings: { networkCamerasInReflection: true },
    });
  });

  it('appends events with consecutive sequence numbers in the caller transaction', async () => {
    const id = await newMeeting(db);
    const first = await db.transaction((tx) => appendEvents(tx, id, [hand('a'), hand('b')]));
    const second = await db.transaction((tx) =>
      appendEvents(tx, id, [{ type: 'meeting.ended', by: 'f1', at: AT + 1 }], { staffId: null }),
    );
    expect(first.map((e) => e.seq)).toEqual([1, 2]);
    expect(second.map((e) => e.seq)).toEqual([3]);
    const rows = await eventsSince(db, id, 1);
    expect(rows.map((e) => [e.seq, e.type, e.payload])).toEqual([
      [2, 'hand.raised', { participantId: 'b' }],
      [3, 'meeting.ended', { by: 'f1' }],
    ]);
    expect(rows.map(toMeetingEvent)).toEqual([
      hand('b'),
      { type: 'meeting.ended', by: 'f1', at: AT + 1 },
    ]);
    const [m] = await db.select().from(meetings).where(eq(meetings.id, id));
    expect(m?.lastSeq).toBe(3);
  });

  it('rolls back events with the state change when the transaction fails', async () => {
    const id = await newMeeting(db);
    await expect(
      db.transaction(async (tx) => {
        await tx.update(meetings).set({ mode: 'reflecting' }).where(eq(meetings.id, id));
        await appendEvents(tx, id, [hand('x')]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const [m] = await db.select().from(meetings).where(eq(meetings.id, id));
    expect(m).toMatchObject({ mode: 'dialogue', lastSeq: 0 });
    expect(await eventsSince(db, id, 0)).toEqual([]);
  });

  it('keeps sequence numbers unique and gap-free under concurrent appends', async () => {
    const id = await newMeeting(db);
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        db.transaction((tx) => appendEvents(tx, id, [hand(`e${i}`), hand(`f${i}`)])),
      ),
    );
    expect((await eventsSince(db, id, 0)).map((e) => e.seq)).toEqual(
      Array.from({ length: 16 }, (_, i) => i + 1),
    );
  });

  it('refuses events for an unknown meeting', async () => {
    await expect(
      db.transaction((tx) => appendEvents(tx, '00000000-0000-4000-8000-000000000000', [hand('x')])),
    ).rejects.toBeInstanceOf(MeetingNotFoundError);
  });

  it('refuses a duplicate (meeting_id, seq)', async () => {
    const id = await newMeeting(db);
    await db.insert(meetingEvents).values({ meetingId: id, seq: 1, type: 'hand.raised' });
    await expect(
      db.insert(meetingEvents).values({ meetingId: id, seq: 1, type: 'hand.raised' }),
    ).rejects.toThrow();
  });

  it('refuses an event type the domain does not know', async () => {
    const id = await newMeeting(db);
    await expect(
      db.insert(meetingEvents).values({ meetingId: id, seq: 1, type: 'made.up' as 'hand.raised' }),
    ).rejects.toThrow();
  });

  it('refuses updates to the event log', async () => {
    const id = await newMeeting(db);
    await db.transaction((tx) => appendEvents(tx, id, [hand('x')]));
    await expect(
      db
        .update(meetingEvents)
        .set({ type: 'meeting.ended' })
        .where(eq(meetingEvents.meetingId, id)),
    ).rejects.toThrow();
  });

  it('deletes a meeting with its participants and events', async () => {
    const id = await newMeeting(db);
    const [p] = await db
      .insert(participants)
      .values({ meetingId: id, role: 'network', displayName: 'X' })
      .returning();
    await db.transaction((tx) => appendEvents(tx, id, [hand(p!.id)], { participantId: p!.id }));
    await db.delete(meetings).where(eq(meetings.id, id));
    expect(await eventsSince(db, id, 0)).toEqual([]);
  });

  it('allows one centre person per network', async () => {
    const id = await newMeeting(db);
    const [m] = await db.select().from(meetings).where(eq(meetings.id, id));
    const { networkMembers } = await import('./schema/index.ts');
    await db.insert(networkMembers).values({ networkId: m!.networkId, name: 'A', isCentre: true });
    await db.insert(networkMembers).values({ networkId: m!.networkId, name: 'B' });
    await expect(
      db.insert(networkMembers).values({ networkId: m!.networkId, name: 'C', isCentre: true }),
    ).rejects.toThrow();
  });

  it('makes staff e-mail unique regardless of case', async () => {
    const { staff } = await import('./schema/index.ts');
    const [org] = await db.insert(organisations).values({ name: 'O' }).returning();
    const row = {
      organisationId: org!.id,
      displayName: 'S',
      role: 'clinician' as const,
      passwordHash: 'h',
    };
    await db.insert(staff).values({ ...row, email: 'Lee@example.org' });
    await expect(db.insert(staff).values({ ...row, email: 'lee@EXAMPLE.org' })).rejects.toThrow();
  });

  it('requires an invite to name exactly one of member or staff', async () => {
    const { invites } = await import('./schema/index.ts');
    const id = await newMeeting(db);
    await expect(
      db.insert(invites).values({
        meetingId: id,
        role: 'network',
        tokenHash: 'h1',
        expiresAt: new Date(),
      }),
    ).rejects.toThrow();
    const count = await db.execute(sql`select count(*)::int as n from invites`);
    expect(count).toBeDefined();
  });
});
