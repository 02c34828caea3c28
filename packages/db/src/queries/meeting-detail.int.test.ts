import { randomUUID } from 'node:crypto';
import { asc, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  invites,
  meetings,
  networkMembers,
  networks,
  organisations,
  participants,
  staff,
} from '../schema/index.ts';
import {
  DATABASE_OPEN_TIMEOUT_MS,
  rawQuery,
  testDatabaseTargets,
  type TestDatabase,
} from '../testing/index.ts';
import type { Db } from '../types.ts';
import { findInviteView, findMeetingDetail, findMeetingInOrganisation } from './meetings.ts';

// The staff read of a meeting in one round trip (findMeetingDetail) must give what separate
// queries give (the meeting, each link's view, a plain count — as the read did before): the meeting, its links (oldest first, names, used, language, times
// to the millisecond) and its head-counts; nothing for another organisation's staff.

const T0 = Date.UTC(2026, 5, 1, 9, 0, 0);

describe.each(testDatabaseTargets())(
  'the staff read of a meeting in one query on $name',
  (target) => {
    let t: TestDatabase;
    let db: Db;
    let organisationId: string;
    let otherOrganisationId: string;
    let meetingId: string;
    let emptyMeetingId: string;

    beforeAll(async () => {
      t = await target.open();
      db = t.database.db;
      const [org, other] = await db
        .insert(organisations)
        .values([{ name: 'Org' }, { name: 'Other' }])
        .returning();
      organisationId = org!.id;
      otherOrganisationId = other!.id;
      const [clinician] = await db
        .insert(staff)
        .values({
          organisationId,
          email: `${randomUUID()}@example.org`,
          displayName: 'Dr Lee',
          role: 'clinician',
          passwordHash: 'h',
        })
        .returning();
      const [network] = await db
        .insert(networks)
        .values({ organisationId, label: 'N', firstContactAt: new Date(T0) })
        .returning();
      const [dad, mum] = await db
        .insert(networkMembers)
        .values([
          { networkId: network!.id, name: 'Dad', relationship: 'father' },
          { networkId: network!.id, name: 'Mum', relationship: 'mother' },
        ])
        .returning();
      const [m, empty] = await db
        .insert(meetings)
        .values([
          {
            networkId: network!.id,
            state: 'live',
            startedAt: new Date(T0),
            createdBy: clinician!.id,
          },
          { networkId: network!.id, state: 'scheduled', scheduledAt: new Date(T0 + 86_400_000) },
        ])
        .returning();
      meetingId = m!.id;
      emptyMeetingId = empty!.id;
      // Times with sub-millisecond parts (PostgreSQL keeps microseconds; a Date keeps ms), the
      // same creation time twice (ordered by id then), one revoked link.
      const at = (ms: number) => new Date(T0 + ms);
      const links = await db
        .insert(invites)
        .values([
          {
            meetingId,
            staffId: clinician!.id,
            role: 'team',
            tokenHash: randomUUID(),
            expiresAt: at(1_209_600_000.4),
            createdAt: at(5.9),
          },
          {
            meetingId,
            networkMemberId: dad!.id,
            role: 'network',
            tokenHash: randomUUID(),
            expiresAt: at(999),
            createdAt: at(1),
          },
          {
            meetingId,
            networkMemberId: mum!.id,
            role: 'network',
            tokenHash: randomUUID(),
            expiresAt: at(999),
            revokedAt: at(500.123),
            createdAt: at(1),
          },
        ])
        .returning();
      await rawQuery(
        t.database,
        `update invites set created_at = created_at + interval '0.7 milliseconds',
         expires_at = expires_at + interval '0.999 milliseconds',
         revoked_at = revoked_at + interval '0.001 milliseconds'
       where meeting_id = $1`,
        [meetingId],
      );
      await db.insert(participants).values([
        {
          meetingId,
          inviteId: links[0]!.id,
          staffId: clinician!.id,
          role: 'team',
          displayName: 'Dr Lee',
          admissionNumber: 1,
          state: 'admitted',
        },
        {
          meetingId,
          inviteId: links[1]!.id,
          role: 'network',
          displayName: 'Dad',
          state: 'waiting',
          language: 'fi',
        },
        {
          meetingId,
          inviteId: links[2]!.id,
          role: 'network',
          displayName: 'Mum',
          state: 'invited',
        },
      ]);
    }, DATABASE_OPEN_TIMEOUT_MS);
    afterAll(() => t?.dispose(), DATABASE_OPEN_TIMEOUT_MS);

    /** What separate queries give, in the combined read's shape. */
    const separately = async (id: string) => {
      const found = await findMeetingInOrganisation(db, organisationId, id);
      const ids = await db
        .select({ id: invites.id })
        .from(invites)
        .where(eq(invites.meetingId, id))
        .orderBy(asc(invites.createdAt), asc(invites.id));
      const links = await Promise.all(ids.map((l) => findInviteView(db, id, l.id)));
      const counts = await db
        .select({ state: participants.state, role: participants.role, n: count() })
        .from(participants)
        .where(eq(participants.meetingId, id))
        .groupBy(participants.state, participants.role);
      const byKey = (c: { state: string; role: string }) => `${c.state}/${c.role}`;
      return {
        meeting: found!.meeting,
        network: found!.network,
        invites: links.map((view) => {
          const { invite, name, used, language } = view!;
          return {
            invite: {
              id: invite.id,
              networkMemberId: invite.networkMemberId,
              staffId: invite.staffId,
              role: invite.role,
              expiresAt: invite.expiresAt,
              revokedAt: invite.revokedAt,
              createdAt: invite.createdAt,
            },
            name,
            used,
            language,
          };
        }),
        counts: counts
          .map(({ state, role, n }) => ({ state, role, n }))
          .sort((a, b) => byKey(a).localeCompare(byKey(b))),
      };
    };

    it('gives what the meeting, links and head-count queries give', async () => {
      const combined = await findMeetingDetail(db, organisationId, meetingId);
      expect(combined).not.toBeNull();
      const expected = await separately(meetingId);
      expect({
        ...combined!,
        counts: [...combined!.counts].sort((a, b) =>
          `${a.state}/${a.role}`.localeCompare(`${b.state}/${b.role}`),
        ),
      }).toEqual(expected);
      // The fixture is what it claims: three links, one used by a knock, one revoked.
      expect(combined!.invites.map((i) => i.name)).toEqual(expected.invites.map((i) => i.name));
      expect(combined!.invites.map((i) => i.used).sort()).toEqual([false, true, true]);
      expect(combined!.invites.some((i) => i.invite.revokedAt !== null)).toBe(true);
      expect(combined!.invites.some((i) => i.language === 'fi')).toBe(true);
      expect(combined!.counts.reduce((sum, c) => sum + c.n, 0)).toBe(3);
      // Never the token hash.
      expect(JSON.stringify(combined)).not.toContain('tokenHash');
    });

    it('a meeting without links or people: empty lists', async () => {
      const combined = await findMeetingDetail(db, organisationId, emptyMeetingId);
      expect(combined).toEqual(await separately(emptyMeetingId));
      expect(combined!.invites).toEqual([]);
      expect(combined!.counts).toEqual([]);
    });

    it("another organisation's staff, or no such meeting: nothing", async () => {
      expect(await findMeetingDetail(db, otherOrganisationId, meetingId)).toBeNull();
      expect(await findMeetingDetail(db, organisationId, randomUUID())).toBeNull();
    });
  },
);
