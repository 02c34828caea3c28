import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_OPEN_TIMEOUT_MS, rawQuery, testDatabaseTargets } from '@polyphony/db/testing';
import type { LiveEvent, RecordResponse, TimelineResponse } from '@polyphony/protocol';
import {
  createStaffSession,
  createTestMeeting,
  staffSessionFor,
  type Session,
  type TestLink,
  type TestMeeting,
} from '../../testing/meeting-harness.ts';
import { useTestApp } from '../../testing/use-test-app.ts';

describe.each(testDatabaseTargets())('the shared record and timeline on $name', (target) => {
  const t = useTestApp(target, { livekit: 'plain', reconcileIntervalMs: 0 });
  const { http, join } = t;

  let meeting: TestMeeting;
  let lee: Session;
  let sam: Session;
  let dad: Session;
  let auntLink: TestLink;
  let aunt: Session;
  let gran: Session;

  const record = (session: Session, body: Record<string, unknown>) =>
    http.call('POST', `/api/meetings/${session.meetingId}/record`, { session, body });
  const read = (session: Session | { cookie: string }, what: 'record' | 'timeline' = 'record') =>
    fetch(`${t.baseUrl}/api/meetings/${meeting.meetingId}/${what}`, {
      headers: { cookie: session.cookie },
    }).then(async (res) => ({ status: res.status, body: (await res.json()) as unknown }));
  const entries = async (session: Session) =>
    ((await read(session)).body as RecordResponse).entries;
  const errorCode = (body: unknown) => (body as { error: { code: string } }).error.code;

  beforeAll(async () => {
    meeting = await createTestMeeting(t.app);
    lee = await join(await meeting.link('facilitator', 'Dr Lee', meeting.hostStaffId));
    sam = await join(await meeting.link('centre', 'Sam'));
    expect((await http.act(lee, 'admit', sam.participantId)).status).toBe(200);
    dad = await join(await meeting.link('network', 'Dad'));
    expect((await http.act(lee, 'admit', dad.participantId)).status).toBe(200);
    expect((await http.act(sam, 'consent', dad.participantId)).status).toBe(200);
    auntLink = await meeting.link('network', 'Aunt Mia');
    aunt = await join(auntLink);
    expect((await http.act(lee, 'admit', aunt.participantId)).status).toBe(200);
    expect((await http.act(sam, 'consent', aunt.participantId)).status).toBe(200);
    gran = await join(await meeting.link('network', 'Gran')); // never let in
  }, DATABASE_OPEN_TIMEOUT_MS);

  it('a facilitator adds an entry; everyone in the room gets it live', async () => {
    const dadLive = t.live(dad);
    await dadLive.nextOf('snapshot');
    const entryId = randomUUID();
    const res = await record(lee, {
      entryId,
      kind: 'next_step',
      text: 'Call the GP about sleep',
      who: 'Dr Lee',
      when: 'by Friday',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    let event: LiveEvent = await dadLive.nextOf('event');
    while (event.event.type !== 'record.added') event = await dadLive.nextOf('event');
    expect(event.event).toMatchObject({ entryId, text: 'Call the GP about sleep', who: 'Dr Lee' });

    // A retry with the same id adds nothing.
    expect((await record(lee, { entryId, kind: 'next_step', text: 'again' })).status).toBe(200);
    expect(await entries(dad)).toMatchObject([
      { id: entryId, kind: 'next_step', byName: 'Dr Lee', who: 'Dr Lee', when: 'by Friday' },
    ]);
  });

  it('a network member cannot write: 403 FORBIDDEN and nothing is stored', async () => {
    const before = await entries(lee);
    const res = await record(dad, { entryId: randomUUID(), kind: 'decision', text: 'Mine' });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect(await entries(lee)).toEqual(before);
    const bad = await record(lee, { entryId: randomUUID(), kind: 'diagnosis', text: 'x' });
    expect(bad.status).toBe(400);
    const noCsrf = await http.call('POST', `/api/meetings/${meeting.meetingId}/record`, {
      session: lee,
      csrf: 'wrong',
      body: { entryId: randomUUID(), kind: 'decision', text: 'x' },
    });
    expect(noCsrf.status).toBe(403);
    expect(await entries(lee)).toEqual(before);
  });

  it('corrects by a new entry and agrees the next meeting time', async () => {
    const first = randomUUID();
    const second = randomUUID();
    expect((await record(lee, { entryId: first, kind: 'decision', text: 'Weekly' })).status).toBe(
      200,
    );
    const correction = { entryId: second, kind: 'decision', text: 'Fortnightly', corrects: first };
    expect((await record(lee, correction)).status).toBe(200);
    const when = '2026-03-02T10:00:00.000Z';
    const next = { entryId: randomUUID(), kind: 'next_meeting', text: 'At home', meetingAt: when };
    expect((await record(lee, next)).status).toBe(200);
    const wrong = { entryId: randomUUID(), kind: 'decision', text: 'x', corrects: randomUUID() };
    expect((await record(lee, wrong)).body).toMatchObject({ error: { code: 'INVALID_INPUT' } });

    const body = (await read(sam)).body as RecordResponse;
    expect(body.entries.find((e) => e.id === first)).toMatchObject({ correctedBy: second });
    expect(body.entries.find((e) => e.id === second)).toMatchObject({ corrects: first });
    expect(body.nextMeeting).toMatchObject({ meetingAt: when, text: 'At home' });
  });

  it('during the meeting only people in the room read the record and timeline', async () => {
    expect((await read(gran)).status).toBe(403);
    expect(errorCode((await read(gran)).body)).toBe('NOT_ADMITTED');
    expect((await read(gran, 'timeline')).status).toBe(403);
    expect((await read({ cookie: '' })).status).toBe(401);

    const timeline = (await read(dad, 'timeline')).body as TimelineResponse;
    const types = timeline.events.map((e) => e.event.type);
    expect(types).toContain('participant.admitted');
    expect(types).toContain('record.added');
    expect(timeline.seq).toBe(timeline.events.at(-1)!.seq);
    // A network member sees the names of people who were in the room, not of who knocked.
    const named = timeline.people.map((p) => p.displayName).sort();
    expect(named).toEqual(['Aunt Mia', 'Dad', 'Dr Lee', 'Sam']);
    const forLee = (await read(lee, 'timeline')).body as TimelineResponse;
    expect(forLee.people.map((p) => p.displayName)).toContain('Gran');

    // The record names who holds the meeting; until when it can be read is not known yet.
    expect((await read(dad)).body).toMatchObject({
      organisation: { name: 'Test organisation', contact: null },
      team: [{ displayName: 'Dr Host Clinician' }],
      readableUntil: null,
    });
  });

  it('after the end: attendees read through their own link until it expires or is revoked', async () => {
    expect(
      (await http.call('POST', `/api/meetings/${meeting.meetingId}/end`, { session: lee })).status,
    ).toBe(200);
    const dadRead = await read(dad);
    expect(dadRead.status).toBe(200);
    expect((dadRead.body as RecordResponse).meeting.state).toBe('ended');
    expect((dadRead.body as RecordResponse).entries.length).toBeGreaterThanOrEqual(4);
    expect((await read(dad, 'timeline')).status).toBe(200);
    expect(errorCode((await read(gran)).body)).toBe('NOT_ADMITTED');

    // It says until when: Dad until his link expires; staff until the retention purge (30 days
    // after the end here, the links having expired long before).
    const [dadLink] = await rawQuery<{ expires_at: Date | string }>(
      t.db.database,
      'select expires_at from invites where id = $1',
      [await inviteOf(dad.participantId)],
    );
    expect((dadRead.body as RecordResponse).readableUntil).toBe(
      new Date(dadLink!.expires_at).toISOString(),
    );
    const [ended] = await rawQuery<{ ended_at: Date | string }>(
      t.db.database,
      'select ended_at from meetings where id = $1',
      [meeting.meetingId],
    );
    const staffRead = (await read(await staffSessionFor(t.app, meeting.hostStaffId)))
      .body as RecordResponse;
    expect(staffRead.readableUntil).toBe(
      new Date(new Date(ended!.ended_at).getTime() + 30 * 86_400_000).toISOString(),
    );

    // Revoking Aunt Mia's link (after the meeting) closes her way to the record.
    const auntInvite = await inviteOf(auntLink.participantId);
    const host = await staffSessionFor(t.app, meeting.hostStaffId);
    const revoked = await fetch(
      `${t.baseUrl}/api/meetings/${meeting.meetingId}/invites/${auntInvite}`,
      { method: 'DELETE', headers: { cookie: host.cookie, 'x-csrf-token': host.csrfToken } },
    );
    expect(revoked.status).toBe(200);
    const auntRead = await read(aunt);
    expect(auntRead.status).toBe(403);
    expect(errorCode(auntRead.body)).toBe('LINK_REVOKED');

    // An expired link reads nothing either.
    await rawQuery(
      t.db.database,
      `update invites set expires_at = now() - interval '1 second' where id = $1`,
      [await inviteOf(sam.participantId)],
    );
    const samRead = await read(sam);
    expect(samRead.status).toBe(404);
    expect(errorCode(samRead.body)).toBe('LINK_INVALID');

    // Staff of the organisation read through the staff app; staff of another do not.
    expect((await read(host)).status).toBe(200);
    const other = await createTestMeeting(t.app);
    const outsider = await createStaffSession(t.app, other.organisationId, 'Dr Elsewhere');
    expect((await read(outsider)).status).toBe(404);
  });

  async function inviteOf(participantId: string): Promise<string> {
    const [row] = await rawQuery<{ invite_id: string }>(
      t.db.database,
      'select invite_id from participants where id = $1',
      [participantId],
    );
    return row!.invite_id;
  }
});
