import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { connectMedia, freePort } from '@polyphony/stack';
import { testDatabaseTargets } from '@polyphony/db/testing';
import type { LiveSnapshot } from '@polyphony/protocol';
import {
  createStaffSession,
  createTestMeeting,
  staffSessionFor,
  httpClient,
  type Session,
  type TestLink,
  type TestMeeting,
} from '../../testing/meeting-harness.ts';
import { startTestApp } from '../../testing/test-app.ts';
import { useTestApp } from '../../testing/use-test-app.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A LiveKit-shaped token with our key id but signed with a secret that is not ours. */
function forgeToken(apiKey: string, identity: string, room: string): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({
    iss: apiKey,
    sub: identity,
    nbf: now,
    exp: now + 600,
    video: { roomJoin: true, room, canPublish: true, canSubscribe: true },
  })}`;
  const signature = createHmac('sha256', 'not-the-secret-'.repeat(3))
    .update(body)
    .digest('base64url');
  return `${body}.${signature}`;
}

describe.each(testDatabaseTargets())('joining by link, lobby and consent on $name', (target) => {
  const t = useTestApp(target, { livekit: 'webhook', reconcileIntervalMs: 500 });
  const { http } = t;
  const secrets: string[] = [];
  const names: string[] = [];

  const live = (session: Session, since?: number) => t.live(session, { since });
  const join = async (link: TestLink, companions: string[] = []) => {
    const session = await t.join(link, companions);
    secrets.push(link.token, session.cookie.split('=')[1]!, session.csrfToken);
    return session;
  };
  const link = async (m: TestMeeting, role: Parameters<TestMeeting['link']>[0], name: string) => {
    names.push(name);
    return m.link(role, name);
  };
  const facilitatorOf = async (m: TestMeeting) => {
    names.push('Dr Avery Lee');
    return join(await m.link('facilitator', 'Dr Avery Lee', m.hostStaffId));
  };
  const stateOf = async (meetingId: string, participantId: string) => {
    const latest = await t.app.commands.states.latest(t.app.database.db, meetingId);
    return latest!.state.participants.find((p) => p.id === participantId)!;
  };
  const identities = async (meetingId: string) =>
    (await t.app.livekit.listParticipants(meetingId)).map((p) => p.identity);

  it('shows the pre-join page; unknown, revoked and expired links are the same 404', async () => {
    const m = await createTestMeeting(t.app);
    const dad = await link(m, 'network', 'Robin Network-Dad');
    const preview = await http.call('GET', `/api/invites/${dad.token}`);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      meeting: { id: m.meetingId, state: 'scheduled', scheduledAt: null },
      team: [{ displayName: 'Dr Host Clinician' }],
      role: 'network',
      suggestedName: 'Robin Network-Dad',
      hasCentrePerson: false,
      recording: { audioVideoRecorded: false, sharedRecordKept: true },
    });
    expect(preview.headers.get('referrer-policy')).toBe('no-referrer');
    const unknown = await http.call('GET', `/api/invites/${'x'.repeat(43)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'LINK_INVALID' } });
    const knock = await http.call('POST', `/api/invites/${'x'.repeat(43)}/join`, {
      body: { displayName: 'Nobody', companions: [] },
    });
    expect(knock.body).toMatchObject({ error: { code: 'LINK_INVALID' } });
  });

  it('refuses a knock from another origin and sets a strict HttpOnly guest cookie', async () => {
    const m = await createTestMeeting(t.app);
    const dad = await link(m, 'network', 'Robin Cookie-Dad');
    const foreign = await http.call('POST', `/api/invites/${dad.token}/join`, {
      origin: 'http://evil.example',
      body: { displayName: 'Robin', companions: [] },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatchObject({ error: { code: 'ORIGIN_REJECTED' } });
    const { res } = await http.join(dad);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^pp_guest=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/api/);
    secrets.push(cookie.split(';')[0]!.split('=')[1]!);
  });

  it('gives a waiting guest no token and no LiveKit presence; a forged token is refused', async () => {
    const m = await createTestMeeting(t.app);
    await facilitatorOf(m);
    const dad = await join(await link(m, 'network', 'Robin Waiting-Dad'));
    const client = live(dad);
    const snapshot = (await client.next()) as LiveSnapshot;
    expect(snapshot.media).toBeNull();
    expect(snapshot.participants).toEqual([]);
    const admission = await client.nextOf('admission');
    expect(admission.admission.state).toBe('waiting');
    expect(await identities(m.meetingId)).not.toContain(`${dad.participantId}.1`);
    const forged = forgeToken(t.livekit.apiKey, `${dad.participantId}.1`, `meeting-${m.meetingId}`);
    await expect(connectMedia(t.livekit.url, forged)).rejects.toThrow();
    expect(await identities(m.meetingId)).not.toContain(`${dad.participantId}.1`);
  });

  it('keeps three early guests waiting until a facilitator and the centre person let them in', async () => {
    const m = await createTestMeeting(t.app);
    const sam = await join(await link(m, 'centre', 'Sam Centre-Person'), ['Grandad Joe']);
    const dad = await join(await link(m, 'network', 'Robin Two-Keys-Dad'), ['Mum Alex']);
    const aunt = await join(await link(m, 'network', 'Kim Aunt'));
    const early = await http.act(sam, 'consent', dad.participantId);
    expect(early.status).toBe(403);
    expect(early.body).toMatchObject({ error: { code: 'NOT_ADMITTED' } });
    for (const s of [sam, dad, aunt])
      expect((await stateOf(m.meetingId, s.participantId)).state).toBe('waiting');

    const lee = await facilitatorOf(m);
    expect((await stateOf(m.meetingId, lee.participantId)).state).toBe('admitted');
    for (const s of [sam, dad, aunt])
      expect((await stateOf(m.meetingId, s.participantId)).state).toBe('waiting');

    const leeLive = live(lee);
    await leeLive.next();
    const lobby = await leeLive.nextOf('lobby');
    expect(lobby.hasCentrePerson).toBe(true);
    expect(lobby.waiting.find((w) => w.participantId === dad.participantId)).toMatchObject({
      displayName: 'Robin Two-Keys-Dad',
      companions: [{ name: 'Mum Alex', agreed: false }],
      basis: 'two_keys',
      facilitatorAgreed: false,
      centreAgreed: false,
    });

    // The centre person is let in by a facilitator alone, and gets media on admission.
    const samLive = live(sam);
    await samLive.next();
    expect((await http.act(lee, 'admit', sam.participantId)).status).toBe(200);
    const samIn = await samLive.nextOf('snapshot');
    expect(samIn.media?.identity).toBe(`${sam.participantId}.1`);
    expect(samIn.participants.map((p) => p.participantId).sort()).toEqual(
      [lee.participantId, sam.participantId].sort(),
    );

    // Facilitator first, then the centre person's consent opens the door.
    expect((await http.act(lee, 'admit', dad.participantId)).status).toBe(200);
    expect((await stateOf(m.meetingId, dad.participantId)).state).toBe('waiting');
    expect((await http.act(sam, 'consent', dad.participantId)).status).toBe(200);
    expect(await stateOf(m.meetingId, dad.participantId)).toMatchObject({
      state: 'admitted',
      admissionNumber: 1,
    });

    // The other way round: consent first, then the facilitator.
    expect((await http.act(sam, 'consent', aunt.participantId)).status).toBe(200);
    expect((await stateOf(m.meetingId, aunt.participantId)).state).toBe('waiting');
    expect((await http.act(lee, 'admit', aunt.participantId)).status).toBe(200);
    expect((await stateOf(m.meetingId, aunt.participantId)).state).toBe('admitted');

    // A network member cannot let anyone in.
    const uncleLink = await link(m, 'network', 'Uncle Declined');
    const uncle = await join(uncleLink);
    const byDad = await http.act(dad, 'admit', uncle.participantId);
    expect(byDad.body).toMatchObject({ error: { code: 'FORBIDDEN' } });

    // The centre person says no: a kind state, and knocking again waits.
    const uncleLive = live(uncle);
    await uncleLive.next();
    await uncleLive.nextOf('admission');
    expect((await http.act(sam, 'decline', uncle.participantId)).status).toBe(200);
    const declined = await uncleLive.nextOf('admission');
    expect(declined.admission.state).toBe('declined');
    expect(Date.parse(declined.admission.retryAt!)).toBeGreaterThan(Date.now() + 50_000);
    const again = await http.join(uncleLink);
    expect(again.res.status).toBe(429);
    expect(again.res.body).toMatchObject({ error: { code: 'KNOCK_TOO_SOON' } });
    expect(Number(again.res.headers.get('retry-after'))).toBeGreaterThan(50);
    // Nobody outside the room saw the roster or other people's events.
    const seen = uncleLive.pending.filter((msg) => msg.type === 'roster' || msg.type === 'lobby');
    expect(seen).toEqual([]);
  });

  it('asks someone to leave: out of media at once, an old token gets them removed again', async () => {
    const m = await createTestMeeting(t.app);
    const lee = await facilitatorOf(m);
    const dadLink = await link(m, 'network', 'Robin Leaving-Dad');
    const dad = await join(dadLink);
    expect((await http.act(lee, 'admit', dad.participantId)).status).toBe(200);
    const dadLive = live(dad);
    const snapshot = (await dadLive.next()) as LiveSnapshot;
    const oldIdentity = `${dad.participantId}.1`;
    expect(snapshot.media?.identity).toBe(oldIdentity);
    expect((await dadLive.nextOf('admission')).admission.state).toBe('admitted');
    secrets.push(snapshot.media!.token);
    const client = await t.connect(snapshot.media!);
    expect(await identities(m.meetingId)).toContain(oldIdentity);

    expect((await http.act(lee, 'remove', dad.participantId)).status).toBe(200);
    expect(await client.disconnected(2000)).toBe(true);
    expect(await identities(m.meetingId)).not.toContain(oldIdentity);
    const stepped = await dadLive.nextOf('admission');
    expect(stepped.admission.state).toBe('stepped_out');

    // Replaying the captured token from a fresh client: LiveKit lets it in, we take it out.
    const replay = await t.connect(snapshot.media!).catch(() => null);
    if (replay) expect(await replay.disconnected(2000)).toBe(true);
    await sleep(200);
    expect(await identities(m.meetingId)).not.toContain(oldIdentity);
    expect((await stateOf(m.meetingId, dad.participantId)).state).toBe('stepped_out');
    expect(t.logs.some((l) => l.includes('not admitted: removed from media'))).toBe(
      replay !== null,
    );

    // Through the link again: the lobby, and a new admission number when let back in.
    const back = await join(dadLink);
    expect((await stateOf(m.meetingId, back.participantId)).state).toBe('waiting');
    expect((await http.act(lee, 'admit', back.participantId)).status).toBe(200);
    expect(await stateOf(m.meetingId, back.participantId)).toMatchObject({
      state: 'admitted',
      admissionNumber: 2,
    });
    const again = live(back);
    const fresh = (await again.next()) as LiveSnapshot;
    expect(fresh.media?.identity).toBe(`${dad.participantId}.2`);
    const reconnected = await t.connect(fresh.media!);
    await sleep(1200);
    expect(await identities(m.meetingId)).toContain(`${dad.participantId}.2`);
    expect(await reconnected.disconnected(10)).toBe(false);
  });

  it('lets a core-team clinician open the meeting with their staff session', async () => {
    const m = await createTestMeeting(t.app);
    const host = await staffSessionFor(t.app, m.hostStaffId);
    const outsider = await createStaffSession(t.app, m.organisationId, 'Dr Not In Team');
    const enter = (s: { cookie: string; csrfToken: string }, csrf = s.csrfToken) =>
      http.call('POST', `/api/meetings/${m.meetingId}/participants/me`, {
        session: { cookie: s.cookie, csrfToken: csrf, meetingId: m.meetingId, participantId: '' },
        body: {},
      });
    expect((await enter(host, 'wrong')).body).toMatchObject({ error: { code: 'CSRF_FAILED' } });
    expect((await enter(outsider)).body).toMatchObject({ error: { code: 'NOT_A_PARTICIPANT' } });
    const entered = await enter(host);
    expect(entered.status).toBe(200);
    const participantId = entered.body['participantId'] as string;
    expect(await stateOf(m.meetingId, participantId)).toMatchObject({
      role: 'facilitator',
      state: 'admitted',
    });
    expect((await enter(host)).body['participantId']).toBe(participantId);
    const hostSession: Session = { ...host, meetingId: m.meetingId, participantId };
    const client = live(hostSession);
    const snapshot = (await client.next()) as LiveSnapshot;
    expect(snapshot.me).toMatchObject({ participantId, displayName: 'Dr Host Clinician' });
    expect(snapshot.media?.identity).toBe(`${participantId}.1`);
    const dad = await join(await link(m, 'network', 'Robin Staff-Admitted'));
    expect((await http.act(hostSession, 'admit', dad.participantId)).status).toBe(200);
    const outsiderLive = live({ ...outsider, meetingId: m.meetingId, participantId: '' });
    expect(await outsiderLive.closed).toMatchObject({ code: 4403 });
  });

  it('refuses commands without the CSRF token and across meetings', async () => {
    const m = await createTestMeeting(t.app);
    const other = await createTestMeeting(t.app);
    const lee = await facilitatorOf(m);
    const stranger = await join(await link(other, 'network', 'Other Meeting Stranger'));
    const dad = await join(await link(m, 'network', 'Robin Csrf-Dad'));
    const noCsrf = await http.call(
      'POST',
      `/api/meetings/${m.meetingId}/participants/${dad.participantId}/admit`,
      { session: lee, csrf: 'wrong' },
    );
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body).toMatchObject({ error: { code: 'CSRF_FAILED' } });
    const cross = await http.call(
      'POST',
      `/api/meetings/${m.meetingId}/participants/${dad.participantId}/admit`,
      { session: stranger },
    );
    expect(cross.status).toBe(403);
    expect(cross.body).toMatchObject({ error: { code: 'NOT_A_PARTICIPANT' } });
    const anonymous = await http.call('POST', `/api/meetings/${m.meetingId}/mode`, {
      body: { mode: 'reflecting' },
    });
    expect(anonymous.status).toBe(401);
    expect((await stateOf(m.meetingId, dad.participantId)).state).toBe('waiting');
  });

  it('resumes after a restart: ?since=N gives exactly the missed events, lobby as before', async () => {
    const m = await createTestMeeting(t.app);
    const lee = await facilitatorOf(m);
    const sam = await join(await link(m, 'centre', 'Sam Restart-Centre'));
    const first = live(lee);
    const before = (await first.next()) as LiveSnapshot;
    first.ws.close();
    const dad = await join(await link(m, 'network', 'Robin Restart-Dad'));
    expect((await http.act(lee, 'admit', sam.participantId)).status).toBe(200);
    expect((await http.act(lee, 'admit', dad.participantId)).status).toBe(200);

    const port = await freePort();
    const second = await startTestApp(t.db.database, t.livekit, { port, reconcileIntervalMs: 0 });
    try {
      const resumed = t.live(lee, { since: before.seq, on: second });
      const snap = (await resumed.next()) as LiveSnapshot;
      const events = [];
      for (let seq = before.seq + 1; seq <= snap.seq; seq++)
        events.push(await resumed.nextOf('event'));
      expect(events.map((e) => e.seq)).toEqual(
        Array.from({ length: snap.seq - before.seq }, (_, i) => before.seq + 1 + i),
      );
      expect(events.map((e) => e.event.type)).toContain('participant.joined_lobby');
      const lobby = await resumed.nextOf('lobby', 1000).catch(() => null);
      expect(
        lobby === null || lobby.waiting.some((w) => w.participantId === dad.participantId),
      ).toBe(true);
      const stored = await second.app.commands.states.latest(second.app.database.db, m.meetingId);
      const dadState = stored!.state.participants.find((p) => p.id === dad.participantId)!;
      expect(dadState).toMatchObject({
        state: 'waiting',
        facilitatorKey: { by: lee.participantId },
      });
      // The centre person's consent through the restarted node opens the door as before.
      const samOnSecond = httpClient(second.baseUrl);
      const consent = await samOnSecond.act(sam, 'consent', dad.participantId);
      expect(consent.status, JSON.stringify(consent.body)).toBe(200);
      const admitted = await resumed.nextOf('event');
      expect(admitted.event).toMatchObject({ type: 'consent.given' });
      expect((await resumed.nextOf('event')).event).toMatchObject({
        type: 'participant.admitted',
        admissionNumber: 1,
      });
    } finally {
      await second.close();
    }
  });

  it('serves one meeting from two signalling nodes on one database', async () => {
    const m = await createTestMeeting(t.app);
    const lee = await facilitatorOf(m);
    const port = await freePort();
    const other = await startTestApp(t.db.database, t.livekit, { port, reconcileIntervalMs: 0 });
    try {
      const twoNodes = await link(m, 'network', 'Robin Two-Nodes');
      const onOther = t.live(lee, { on: other });
      const onFirst = live(lee);
      const a = (await onOther.next()) as LiveSnapshot;
      await onFirst.next();
      await join(twoNodes);
      const seen = await onOther.nextOf('event');
      expect(seen).toMatchObject({ seq: a.seq + 1, event: { type: 'participant.joined_lobby' } });
      const lobby = await onOther.nextOf('lobby');
      expect(lobby.waiting.map((w) => w.displayName)).toContain('Robin Two-Nodes');
      expect((await onFirst.nextOf('event')).seq).toBe(a.seq + 1);
    } finally {
      await other.close();
    }
  });

  it('never logs names, link tokens, session cookies or CSRF tokens', () => {
    const log = t.logs.join('\n');
    expect(t.logs.length).toBeGreaterThan(0);
    for (const name of names) expect(log).not.toContain(name);
    for (const secret of secrets) expect(log).not.toContain(secret);
    expect(log).not.toContain(t.livekit.apiSecret);
  });
});
