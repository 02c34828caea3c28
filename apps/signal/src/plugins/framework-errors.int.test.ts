import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '@polyphony/db/testing';
import { ERROR_STATUS, type ErrorCode } from '@polyphony/protocol';
import { TEST_ORIGIN } from '../testing/test-app.ts';
import { useTestApp } from '../testing/use-test-app.ts';

const SECRET = 'Secretina9Hostilesson';

interface Case {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly type?: string;
  readonly body?: string;
}

const CASES: readonly Case[] = [
  { name: 'an over-long link token', method: 'GET', path: `/api/invites/${SECRET.repeat(10)}` },
  { name: 'an over-long meeting id', method: 'GET', path: `/api/meetings/${SECRET.repeat(10)}` },
  { name: 'bad percent-encoding', method: 'GET', path: `/api/invites/${SECRET}%E0%A4%A` },
  { name: 'an encoded NUL in a path', method: 'GET', path: `/api/invites/${SECRET}%00abc` },
  {
    name: 'malformed JSON',
    method: 'POST',
    path: '/api/session',
    type: 'application/json',
    body: `{"email":"${SECRET}@example.org",`,
  },
  { name: 'an empty JSON body', method: 'POST', path: '/api/session', type: 'application/json' },
  {
    name: 'a body over the limit',
    method: 'POST',
    path: '/api/session',
    type: 'application/json',
    body: JSON.stringify({ email: SECRET.repeat(4000), password: 'x' }),
  },
  {
    name: 'an unsupported content type',
    method: 'POST',
    path: '/api/session',
    type: `application/x-${SECRET}`,
    body: SECRET,
  },
  { name: 'plain text', method: 'POST', path: '/api/session', type: 'text/plain', body: SECRET },
  { name: 'an unknown address', method: 'GET', path: `/api/${SECRET}` },
  {
    name: 'a querystring of the wrong shape',
    method: 'GET',
    path: `/api/meetings/00000000-0000-4000-8000-000000000000/live?since=${SECRET}`,
  },
];

describe.each(testDatabaseTargets())('Fastify-level errors on $name', (target) => {
  const t = useTestApp(target);

  it.each(CASES)('answer $name with a coded error that echoes nothing', async (c) => {
    const headers: Record<string, string> = { origin: TEST_ORIGIN };
    if (c.type) headers['content-type'] = c.type;
    const res = await fetch(`${t.baseUrl}${c.path}`, {
      method: c.method,
      headers,
      ...(c.body === undefined ? {} : { body: c.body }),
    });
    const text = await res.text();
    const body = JSON.parse(text) as { error: { code: ErrorCode; message: string } };
    expect(Object.keys(body)).toEqual(['error']);
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
    expect(ERROR_STATUS[body.error.code], text).toBe(res.status);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(text).not.toContain(SECRET);
    expect(text).not.toMatch(/FST_|application\/x-|%E0|JSON at position/);
    expect(t.logs.join('\n')).not.toContain(SECRET);
  });

  it('answers a request the HTTP parser cannot read with the coded shape', async () => {
    const address = new URL(t.baseUrl);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(address.port), address.hostname, () => {
        socket.write(`GET /api/health HTTP/1.1\r\nHost: x\r\nBad Header ${SECRET}\r\n\r\n`);
      });
      let data = '';
      socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect(raw).toContain('"code":"BAD_REQUEST"');
    expect(raw).not.toContain(SECRET);
  });
});
