// Per-client limits through the real web server: two clients on different addresses are
// limited separately, and a client's own X-Forwarded-For changes nothing (issue 18).
import { request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@polyphony/stack';

interface Answer {
  readonly status: number;
  readonly retryAfter: string | undefined;
  readonly code: string | undefined;
}

/** One request to the web server from the loopback address `from` (127.0.0.0/8 is all local). */
function call(
  origin: string,
  from: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const url = new URL(path, origin);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method,
        localAddress: from,
        headers: {
          origin,
          ...(payload ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let code: string | undefined;
          try {
            code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
          } catch {
            code = undefined;
          }
          const retryAfter = res.headers['retry-after'];
          resolve({ status: res.statusCode ?? 0, retryAfter, code });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const signIn = (origin: string, from: string, i: number, spoof?: string) =>
  call(
    origin,
    from,
    'POST',
    '/api/session',
    { email: `nobody${i}@example.org`, password: 'not the password at all' },
    spoof ? { 'x-forwarded-for': spoof, forwarded: `for=${spoof}` } : {},
  );

describe('per-client limits behind the real web server', () => {
  let stack: Stack;
  let origin: string;
  beforeAll(async () => {
    stack = await startStack({ web: true });
    origin = stack.web!.url;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('sign-in: one client spraying with spoofed X-Forwarded-For is limited; another is not', async () => {
    const answers: Answer[] = [];
    // 20 a minute per client address (DEFAULT_SIGN_IN_LIMITS); each attempt claims another address.
    for (let i = 0; i < 21; i++) answers.push(await signIn(origin, '127.0.0.2', i, `10.1.2.${i}`));
    expect(answers.slice(0, 20).map((a) => a.status)).toEqual(Array(20).fill(401));
    expect(answers[20]).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(Number(answers[20]!.retryAfter)).toBeGreaterThan(0);
    // Another client, and the address the sprayer claimed last, are not locked out.
    expect((await signIn(origin, '127.0.0.3', 100)).status).toBe(401);
    expect((await signIn(origin, '127.0.0.4', 101, '127.0.0.2')).status).toBe(401);
    // The sprayer stays limited whatever it claims.
    expect((await signIn(origin, '127.0.0.2', 102, '127.0.0.9')).status).toBe(429);
  });

  it('link guessing locks out the guesser, not the families', async () => {
    const guess = (from: string) =>
      call(origin, from, 'GET', `/api/invites/${randomBytes(32).toString('base64url')}`);
    const answers: Answer[] = [];
    for (let i = 0; i < 61; i++) answers.push(await guess('127.0.0.5'));
    expect(answers.slice(0, 60).every((a) => a.code === 'LINK_INVALID')).toBe(true);
    expect(answers[60]).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(answers[60]!.retryAfter).toBeDefined();
    expect(await guess('127.0.0.6')).toMatchObject({ status: 404, code: 'LINK_INVALID' });
  });
});
