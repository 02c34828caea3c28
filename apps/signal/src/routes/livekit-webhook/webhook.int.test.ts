import { createHash, createHmac, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '@polyphony/db/testing';
import { useTestApp } from '../../testing/use-test-app.ts';

/** Signs a body the way LiveKit does: a JWT over the body's SHA-256, with the API secret. */
function sign(body: string, apiKey: string, secret: string): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const sha256 = createHash('sha256').update(body).digest('base64');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ iss: apiKey, nbf: now, exp: now + 60, sha256 })}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

describe.each(testDatabaseTargets())('LiveKit webhook on $name', (target) => {
  const t = useTestApp(target, { livekit: 'plain', reconcileIntervalMs: 0 });

  const post = (body: string, authorization?: string) =>
    fetch(`${t.baseUrl}/api/livekit/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/webhook+json',
        ...(authorization ? { authorization } : {}),
      },
      body,
    });

  const joined = (id: string, identity: string) =>
    JSON.stringify({
      id,
      event: 'participant_joined',
      room: { name: `meeting-${randomUUID()}` },
      participant: { identity },
      createdAt: String(Math.floor(Date.now() / 1000)),
    });

  it('refuses unsigned, wrongly signed and tampered bodies', async () => {
    const body = joined(`EV_${randomUUID()}`, 'stranger.1');
    expect((await post(body)).status).toBe(401);
    expect((await post(body, sign(body, t.livekit.apiKey, 'x'.repeat(40)))).status).toBe(401);
    const signature = sign(body, t.livekit.apiKey, t.livekit.apiSecret);
    expect((await post(body.replace('stranger', 'stranges'), signature)).status).toBe(401);
  });

  it('removes a participant who is not admitted, once per event id', async () => {
    const id = `EV_${randomUUID()}`;
    const body = joined(id, 'stranger.1');
    const authorization = sign(body, t.livekit.apiKey, t.livekit.apiSecret);
    const removals = () => t.logs.filter((l) => l.includes('not admitted: removed from media'));
    const before = removals().length;
    const first = await post(body, authorization);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ok: true });
    expect(removals().length).toBe(before + 1);
    expect(removals().at(-1)).toContain('"identity":"stranger.1"');
    expect((await post(body, authorization)).status).toBe(200);
    expect(removals().length).toBe(before + 1);
  });
});
