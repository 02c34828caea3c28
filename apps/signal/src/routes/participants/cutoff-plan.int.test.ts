import { describe, expect, it } from 'vitest';
import { purgeMeeting } from '@polyphony/db';
import { rawQuery, testDatabaseTargets } from '@polyphony/db/testing';
import type { RosterEntry, ServerMessage } from '@polyphony/protocol';
import { createTestMeeting, type Session } from '../../testing/meeting-harness.ts';
import type { LiveClient } from '../../testing/live-client.ts';
import { until, useTestApp } from '../../testing/use-test-app.ts';

// The "if we get cut off" plan (ADR 0028): seen by the person and by facilitators and
// cofacilitators in the room, by nobody else on any path; never in the log or the logs.
describe.each(testDatabaseTargets())('cut-off plans on $name', (target) => {
  const t = useTestApp(target);
  const { http } = t;

  const DAD_PLAN = { controlledBy: 'Dad-Robin-Device', reachBy: 'call Mums mobile 040-PLAN-7731' };
  const AUNT_PLAN = { controlledBy: 'Aunt-Kaisa-Tablet', reachBy: 'text Kaisa 050-PLAN-1188' };
  const TEXTS = [...Object.values(DAD_PLAN), ...Object.values(AUNT_PLAN)];

  const joinWithPlan = async (
    link: Awaited<ReturnType<Awaited<ReturnType<typeof createTestMeeting>>['link']>>,
    plan?: { controlledBy: string; reachBy: string },
  ) => {
    const res = await http.call('POST', `/api/invites/${link.token}/join`, {
      body: { displayName: link.name, companions: [], ...(plan ? { plan } : {}) },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    const body = res.body as { participantId: string; meetingId: string; csrfToken: string };
    return { ...body, cookie } satisfies Session;
  };
  const setPlan = (session: Session, plan: unknown) =>
    http.call('PATCH', `/api/meetings/${session.meetingId}/participants/me`, {
      session,
      body: { plan },
    });
  const rosters = (live: LiveClient): RosterEntry[][] =>
    (live.messages as ServerMessage[]).flatMap((m) =>
      m.type === 'snapshot' ? [m.participants] : m.type === 'roster' ? [m.participants] : [],
    );
  const latestRoster = (live: LiveClient) => rosters(live).at(-1) ?? [];
  const entry = (live: LiveClient, id: string) =>
    latestRoster(live).find((p) => p.participantId === id);

  /** A room: the facilitator (core team), Dad and Aunt (network) let in; each on the live channel. */
  async function room() {
    const m = await createTestMeeting(t.app);
    const lee = await joinWithPlan(await m.link('facilitator', 'Dr Host Clinician', m.hostStaffId));
    const dad = await joinWithPlan(await m.link('network', 'Robin Plan-Dad'), DAD_PLAN);
    const aunt = await joinWithPlan(await m.link('network', 'Kaisa Plan-Aunt'), AUNT_PLAN);
    expect((await http.act(lee, 'admit', dad.participantId)).status).toBe(200);
    expect((await http.act(lee, 'admit', aunt.participantId)).status).toBe(200);
    const live = { lee: t.live(lee), dad: t.live(dad), aunt: t.live(aunt) };
    for (const l of Object.values(live)) await l.nextOf('snapshot', 15_000);
    return { m, lee, dad, aunt, live };
  }

  it('a facilitator sees everyone’s plan; a network member only their own, on every live message', async () => {
    const { dad, aunt, live } = await room();
    await until(async () => entry(live.lee, dad.participantId)?.plan !== undefined, 'a roster');
    expect(entry(live.lee, dad.participantId)?.plan).toEqual(DAD_PLAN);
    expect(entry(live.lee, aunt.participantId)?.plan).toEqual(AUNT_PLAN);

    await until(async () => latestRoster(live.aunt).length === 3, 'the aunt’s roster');
    expect(entry(live.aunt, aunt.participantId)?.plan).toEqual(AUNT_PLAN);
    expect(entry(live.aunt, dad.participantId)).not.toHaveProperty('plan');
    const snapshot = live.aunt.messages.find((m) => m.type === 'snapshot');
    expect(snapshot).toMatchObject({ me: { plan: AUNT_PLAN } });

    // A change reaches the facilitator; the other network member learns nothing of it.
    const changed = { controlledBy: 'Dad-Robin-Device', reachBy: 'ring the landline PLAN-2' };
    expect((await setPlan(dad, changed)).status).toBe(200);
    await until(
      async () => entry(live.lee, dad.participantId)?.plan?.reachBy === changed.reachBy,
      'the new plan',
    );
    // Something everyone sees, so that the aunt's channel has caught up past the change.
    expect(
      (
        await http.call('PATCH', `/api/meetings/${aunt.meetingId}/participants/me`, {
          session: aunt,
          body: { companions: ['Cousin Mia'] },
        })
      ).status,
    ).toBe(200);
    await until(
      async () =>
        live.aunt.messages.some((m) => m.type === 'event' && m.event.type === 'companions.changed'),
      'the aunt sees the companion change',
    );
    const seenByAunt = JSON.stringify(live.aunt.messages);
    for (const text of [...Object.values(DAD_PLAN), changed.reachBy]) {
      expect(seenByAunt).not.toContain(text);
    }
    expect(seenByAunt).not.toContain('plan.changed');
    expect(JSON.stringify(live.dad.messages)).not.toContain(AUNT_PLAN.reachBy);
    expect(JSON.stringify(live.lee.messages)).toContain('plan.changed');
  });

  it('no REST read shows a plan: the timeline and the record, to a network member or anyone', async () => {
    const { m, lee, aunt } = await room();
    for (const reader of [aunt, lee]) {
      for (const path of ['timeline', 'record']) {
        const res = await http.call('GET', `/api/meetings/${m.meetingId}/${path}`, {
          session: reader,
        });
        expect(res.status).toBe(200);
        for (const text of TEXTS) expect(JSON.stringify(res.body)).not.toContain(text);
      }
    }
    const timeline = await http.call('GET', `/api/meetings/${m.meetingId}/timeline`, {
      session: aunt,
    });
    const planEvents = (
      timeline.body.events as { event: { type: string; participantId?: string } }[]
    )
      .map((e) => e.event)
      .filter((e) => e.type === 'plan.changed');
    expect(planEvents).toEqual([
      {
        type: 'plan.changed',
        participantId: aunt.participantId,
        actorParticipantId: aunt.participantId,
      },
    ]);
    const log = await rawQuery<{ payload: unknown }>(
      t.app.database,
      'select payload from meeting_events where meeting_id = $1',
      [m.meetingId],
    );
    for (const text of TEXTS) expect(JSON.stringify(log)).not.toContain(text);
    for (const text of TEXTS) expect(t.logs.join('\n')).not.toContain(text);
  });

  it.each([
    ['a field past its bound', { controlledBy: 'x'.repeat(81), reachBy: '' }],
    ['a reach past its bound', { controlledBy: '', reachBy: 'x'.repeat(281) }],
    ['a control character', { controlledBy: 'Mum\u0000', reachBy: '' }],
    ['a bidi override', { controlledBy: '', reachBy: '\u202Ecall' }],
    ['an unknown field', { controlledBy: '', reachBy: '', phone: '040' }],
    ['a missing field', { controlledBy: 'Mum' }],
    ['not an object', 'call Mum'],
  ])('refuses %s with a coded error, at the knock and in the meeting', async (_what, plan) => {
    const m = await createTestMeeting(t.app);
    const link = await m.link('network', 'Robin Bad-Plan');
    const knock = await http.call('POST', `/api/invites/${link.token}/join`, {
      body: { displayName: link.name, companions: [], plan },
    });
    expect(knock.status).toBe(400);
    expect(knock.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    const session = await joinWithPlan(link);
    const update = await setPlan(session, plan);
    expect(update.status).toBe(400);
    expect(update.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    const [row] = await rawQuery<{
      plan_controlled_by: string | null;
      plan_reach_by: string | null;
    }>(t.app.database, 'select plan_controlled_by, plan_reach_by from participants where id = $1', [
      session.participantId,
    ]);
    expect(row).toEqual({ plan_controlled_by: null, plan_reach_by: null });
  });

  it('stores a plan cleaned, clears it with two empty fields, and a repeat adds nothing', async () => {
    const m = await createTestMeeting(t.app);
    const session = await joinWithPlan(await m.link('network', 'Robin Clean-Plan'), {
      controlledBy: ' Mu\u0308m\u200B ',
      reachBy: 'call  her',
    });
    const row = async () =>
      (
        await rawQuery<{ plan_controlled_by: string | null; plan_reach_by: string | null }>(
          t.app.database,
          'select plan_controlled_by, plan_reach_by from participants where id = $1',
          [session.participantId],
        )
      )[0];
    expect(await row()).toEqual({ plan_controlled_by: 'M\u00fcm', plan_reach_by: 'call her' });
    const again = await setPlan(session, { controlledBy: 'Müm', reachBy: 'call her' });
    const same = await setPlan(session, { controlledBy: 'Müm', reachBy: 'call her' });
    expect(same.body).toEqual(again.body);
    expect((await setPlan(session, { controlledBy: ' ', reachBy: '' })).status).toBe(200);
    expect(await row()).toEqual({ plan_controlled_by: null, plan_reach_by: null });
  });

  it('goes with the meeting at the retention purge', async () => {
    const { m } = await room();
    const count = async () =>
      (
        await rawQuery<{ n: number }>(
          t.app.database,
          `select count(*)::int as n from participants
           where meeting_id = $1 and (plan_controlled_by is not null or plan_reach_by is not null)`,
          [m.meetingId],
        )
      )[0]!.n;
    expect(await count()).toBe(2);
    await purgeMeeting(t.app.database.db, m.meetingId, new Date(), () => true);
    expect(await count()).toBe(0);
  });
});
