import { createHmac } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { appendEvents, eventsSince } from '@polyphony/db';
import { DATABASE_OPEN_TIMEOUT_MS, testDatabaseTargets } from '@polyphony/db/testing';
import { CLOSE_CODES, type LiveEvent, type LiveSnapshot } from '@polyphony/protocol';
import { committed, type CommittedEvent } from '../../live/to-live-event.ts';
import { type LiveClient } from '../../testing/live-client.ts';
import { seedMeeting, type SeedResult } from '../../testing/seed.ts';
import { useTestApp } from '../../testing/use-test-app.ts';

/** Verifies an HS256 JWT with the LiveKit secret and returns its claims. */
function verifyJwt(token: string, secret: string): Record<string, unknown> {
  const [header, payload, signature] = token.split('.');
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  expect(signature).toBe(expected);
  return JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
}

describe.each(testDatabaseTargets())('live channel on $name', (target) => {
  const t = useTestApp(target, { livekit: 'plain', liveLimits: { messagesPerWindow: 5 } });
  let a: SeedResult;
  let b: SeedResult;

  const connect = (
    meetingId: string,
    opts: { token?: string; origin?: string; since?: number } = {},
  ): LiveClient => {
    const cookie = opts.token ? `pp_guest=${opts.token}` : undefined;
    return t.live({ meetingId, cookie }, { since: opts.since, origin: opts.origin });
  };

  /** Appends one `hand.raised` per label (the label as participant id) and returns them as sent. */
  const publishNew = async (meetingId: string, labels: string[]) => {
    const stored = await t.db.database.db.transaction((tx) =>
      appendEvents(
        tx,
        meetingId,
        labels.map((participantId) => ({ type: 'hand.raised', participantId, at: Date.now() })),
      ),
    );
    return stored.map(committed);
  };
  const label = (e: LiveEvent | CommittedEvent) =>
    'participantId' in e.event ? e.event.participantId : undefined;
  const lastSeq = async (meetingId: string) =>
    (await eventsSince(t.db.database.db, meetingId, 0)).length;

  beforeAll(async () => {
    a = await seedMeeting(t.db.database.db, {
      participants: [
        { displayName: 'Dr Avery Lee', role: 'facilitator' },
        { displayName: 'Sam Centre-Person', role: 'centre' },
        { displayName: 'Robin Network-Dad', role: 'network' },
      ],
    });
    b = await seedMeeting(t.db.database.db, {
      participants: [{ displayName: 'Other Meeting Person', role: 'network' }],
    });
  }, DATABASE_OPEN_TIMEOUT_MS);

  it('sends an admitted participant the snapshot with a LiveKit ticket that grants nothing', async () => {
    const me = a.participants[2]!;
    const client = connect(a.meetingId, { token: me.sessionToken });
    const snapshot = (await client.next()) as LiveSnapshot;
    expect(snapshot.seq).toBe(await lastSeq(a.meetingId));
    // Seeded meetings are made with end-to-end encryption off (testing/seed.ts): the snapshot
    // carries the meeting's setting as stored, not the product default.
    expect(snapshot).toMatchObject({
      type: 'snapshot',
      meeting: { id: a.meetingId, mode: 'dialogue', state: 'live', encrypted: false },
      me: { participantId: me.participantId, role: 'network', displayName: me.displayName },
    });
    expect(snapshot.participants.map((p) => p.participantId).sort()).toEqual(
      a.participants.map((p) => p.participantId).sort(),
    );
    const media = snapshot.media!;
    expect(media.url).toBe(t.livekit.url);
    expect(media.identity).toBe(`${me.participantId}.1`);
    const claims = verifyJwt(media.token, t.livekit.apiSecret);
    expect(claims['sub']).toBe(media.identity);
    expect(claims['iss']).toBe(t.livekit.apiKey);
    expect(claims['name']).toBeUndefined();
    expect((claims['exp'] as number) - (claims['nbf'] as number)).toBeLessThanOrEqual(120);
    expect(claims['video']).toEqual({
      roomJoin: true,
      room: `meeting-${a.meetingId}`,
      canSubscribe: false,
      canPublish: false,
      canPublishSources: [],
      canPublishData: false,
      canUpdateOwnMetadata: false,
      hidden: false,
      recorder: false,
      roomAdmin: false,
      roomCreate: false,
      roomList: false,
      roomRecord: false,
    });
    client.ws.close();
  });

  it('mints the same rightless ticket in reflecting mode: rights come from the seat', async () => {
    const c = await seedMeeting(t.db.database.db, {
      participants: [{ displayName: 'Reflecting Listener', role: 'network' }],
      mode: 'reflecting',
    });
    const client = connect(c.meetingId, { token: c.participants[0]!.sessionToken });
    const snapshot = (await client.next()) as LiveSnapshot;
    const claims = verifyJwt(snapshot.media!.token, t.livekit.apiSecret);
    expect(claims['video']).toMatchObject({ canPublish: false, canSubscribe: false });
    client.ws.close();
  });

  it('refuses a connection without the session cookie', async () => {
    const client = connect(a.meetingId);
    expect(await client.closed).toMatchObject({ code: CLOSE_CODES.UNAUTHENTICATED });
    expect(client.pending).toEqual([]);
  });

  it('refuses an unknown session token', async () => {
    const client = connect(a.meetingId, { token: 'not-a-real-session' });
    expect(await client.closed).toMatchObject({ code: CLOSE_CODES.UNAUTHENTICATED });
  });

  it('refuses a foreign Origin', async () => {
    const client = connect(a.meetingId, {
      token: a.participants[0]!.sessionToken,
      origin: 'http://evil.example',
    });
    expect(await client.closed).toMatchObject({ code: CLOSE_CODES.FORBIDDEN });
    expect(client.pending).toEqual([]);
  });

  it('refuses a participant of another meeting', async () => {
    const client = connect(a.meetingId, { token: b.participants[0]!.sessionToken });
    expect(await client.closed).toMatchObject({ code: CLOSE_CODES.FORBIDDEN });
    expect(client.pending).toEqual([]);
  });

  it('refuses a meeting id that is not one', async () => {
    const client = connect('nope', { token: a.participants[0]!.sessionToken });
    expect(await client.closed).toMatchObject({ code: CLOSE_CODES.NOT_FOUND });
  });

  it('replays exactly the missed events after ?since=N, then streams live ones', async () => {
    const c = await seedMeeting(t.db.database.db, {
      participants: [{ displayName: 'Resuming Person', role: 'centre' }],
    });
    const base = await lastSeq(c.meetingId);
    await publishNew(c.meetingId, ['x1', 'x2', 'x3']);
    const client = connect(c.meetingId, {
      token: c.participants[0]!.sessionToken,
      since: base + 1,
    });
    const snapshot = (await client.next()) as LiveSnapshot;
    expect(snapshot.seq).toBe(base + 3);
    const replayed = [await client.nextOf('event'), await client.nextOf('event')];
    expect(replayed.map((e) => [e.seq, label(e)])).toEqual([
      [base + 2, 'x2'],
      [base + 3, 'x3'],
    ]);
    const live = await publishNew(c.meetingId, ['x4']);
    t.app.hub.publish(c.meetingId, live);
    const fourth = await client.nextOf('event');
    expect([fourth.type, fourth.seq, fourth.event.type, label(fourth)]).toEqual([
      'event',
      base + 4,
      'hand.raised',
      'x4',
    ]);
    await expect(client.nextOf('event', 300)).rejects.toThrow();
    client.ws.close();
  });

  it('sends no replay without ?since, and fills a gap when events are published out of order', async () => {
    const c = await seedMeeting(t.db.database.db, {
      participants: [{ displayName: 'Gap Person', role: 'network' }],
    });
    const client = connect(c.meetingId, { token: c.participants[0]!.sessionToken });
    const snapshot = (await client.next()) as LiveSnapshot;
    const base = await lastSeq(c.meetingId);
    expect(snapshot.seq).toBe(base);
    const [e1] = await publishNew(c.meetingId, ['y1']);
    const [e2] = await publishNew(c.meetingId, ['y2']);
    t.app.hub.publish(c.meetingId, [e2!]);
    t.app.hub.publish(c.meetingId, [e1!]);
    const got = [await client.nextOf('event'), await client.nextOf('event')];
    expect(got.map((e) => [e.seq, label(e)])).toEqual([
      [base + 1, 'y1'],
      [base + 2, 'y2'],
    ]);
    await expect(client.nextOf('event', 300)).rejects.toThrow();
    expect(await lastSeq(c.meetingId)).toBe(base + 2);
    client.ws.close();
  });

  it('closes only the connection that sent a malformed message', async () => {
    const [p1, p2] = a.participants;
    const bad = connect(a.meetingId, { token: p1!.sessionToken });
    const good = connect(a.meetingId, { token: p2!.sessionToken });
    await bad.next();
    const goodSnapshot = (await good.next()) as LiveSnapshot;
    good.ws.send(JSON.stringify({ type: 'ping' }));
    bad.ws.send('{"type":"launch_missiles"}');
    expect(await bad.closed).toMatchObject({ code: CLOSE_CODES.BAD_MESSAGE });
    const live = await publishNew(a.meetingId, ['after-bad']);
    t.app.hub.publish(a.meetingId, live);
    const event = await good.nextOf('event');
    expect(event.seq).toBe(goodSnapshot.seq + 1);
    good.ws.close();
  });

  it('closes a connection that sends non-JSON, too large or too many messages', async () => {
    const token = a.participants[0]!.sessionToken;
    const notJson = connect(a.meetingId, { token });
    await notJson.next();
    notJson.ws.send('hello');
    expect(await notJson.closed).toMatchObject({ code: CLOSE_CODES.BAD_MESSAGE });

    const large = connect(a.meetingId, { token });
    await large.next();
    large.ws.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(5000) }));
    expect(await large.closed).toMatchObject({ code: CLOSE_CODES.TOO_LARGE });

    const chatty = connect(a.meetingId, { token });
    await chatty.next();
    for (let i = 0; i < 6; i++) chatty.ws.send(JSON.stringify({ type: 'ping' }));
    expect(await chatty.closed).toMatchObject({ code: CLOSE_CODES.RATE_LIMITED });
  });

  it('closes a flooding or binary-sending connection while others keep streaming', async () => {
    const [p1, p2] = a.participants;
    const flood = connect(a.meetingId, { token: p1!.sessionToken });
    const binary = connect(a.meetingId, { token: p1!.sessionToken });
    const good = connect(a.meetingId, { token: p2!.sessionToken });
    await flood.nextOf('snapshot');
    await binary.nextOf('snapshot');
    const goodSnapshot = await good.nextOf('snapshot');
    for (let i = 0; i < 50; i++) flood.ws.send(JSON.stringify({ type: 'ping' }));
    binary.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await flood.closed).toMatchObject({ code: CLOSE_CODES.RATE_LIMITED });
    expect(await binary.closed).toMatchObject({ code: CLOSE_CODES.BAD_MESSAGE });
    const live = await publishNew(a.meetingId, ['after-flood']);
    t.app.hub.publish(a.meetingId, live);
    expect((await good.nextOf('event')).seq).toBe(goodSnapshot.seq + 1);
    good.ws.close();
  });

  it('counts open live sockets', async () => {
    const client = connect(a.meetingId, { token: a.participants[1]!.sessionToken });
    await client.next();
    const metrics = await (await fetch(`${t.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^live_sockets [1-9]/m);
    client.ws.close();
    await client.closed;
  });

  it('never logs session tokens or names', () => {
    const log = t.logs.join('\n');
    expect(t.logs.length).toBeGreaterThan(0);
    for (const p of [...a.participants, ...b.participants]) {
      expect(log).not.toContain(p.sessionToken);
      expect(log).not.toContain(p.displayName);
    }
    expect(log).not.toContain('pp_guest');
    expect(log).not.toContain(t.livekit.apiSecret);
  });
});
