import { describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '@polyphony/db/testing';
import { startLivekit } from './testing/livekit-server.ts';
import { startTestApp } from './testing/test-app.ts';
import { useTestApp } from './testing/use-test-app.ts';

describe.each(testDatabaseTargets())('signal app on $name', (target) => {
  const t = useTestApp(target, { livekit: 'plain' });

  it('answers liveness', async () => {
    const response = await fetch(`${t.baseUrl}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('is ready with the database and a real LiveKit up', async () => {
    const response = await fetch(`${t.baseUrl}/api/ready`);
    expect(await response.json()).toEqual({ database: 'up', livekit: 'up' });
    expect(response.status).toBe(200);
  });

  it('is not ready when LiveKit is down', async () => {
    const gone = await startLivekit();
    await gone.stop();
    const down = await startTestApp(t.db.database, gone);
    try {
      const response = await fetch(`${down.baseUrl}/api/ready`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ database: 'up', livekit: 'down' });
    } finally {
      await down.close();
    }
  });

  it('answers unknown routes with the error shape', async () => {
    const response = await fetch(`${t.baseUrl}/api/no-such-thing/secret-token-123`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: 'NOT_FOUND', message: expect.any(String) },
    });
  });

  it('answers invalid input with VALIDATION_FAILED and no internals', async () => {
    const response = await fetch(
      `${t.baseUrl}/api/meetings/00000000-0000-4000-8000-000000000000/live?since=abc`,
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(body)).toEqual(['error']);
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts|node_modules|stack/);
  });

  it('publishes the OpenAPI 3.1 document with every route, tagged, with response schemas', async () => {
    const response = await fetch(`${t.baseUrl}/api/openapi.json`);
    const doc = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { tags?: string[]; responses?: object }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    const staffApi = [
      '/api/setup',
      '/api/session',
      '/api/me',
      '/api/staff',
      '/api/staff/directory',
      '/api/networks',
      '/api/networks/{id}',
      '/api/networks/{id}/members',
      '/api/networks/{id}/members/{memberId}',
      '/api/networks/{id}/meetings',
      '/api/meetings',
      '/api/meetings/{id}',
      '/api/meetings/{id}/calendar.ics',
      '/api/meetings/{id}/invites',
      '/api/meetings/{id}/invites/bulk',
      '/api/meetings/{id}/invites/{inviteId}',
    ];
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/health',
        '/api/meetings/{id}/live',
        '/api/openapi.json',
        '/api/ready',
        '/metrics',
        ...staffApi,
      ]),
    );
    for (const path of staffApi) {
      for (const operation of Object.values(doc.paths[path]!)) {
        expect(operation.tags?.length).toBeGreaterThan(0);
        expect(Object.keys(operation.responses ?? {})).toEqual(
          expect.arrayContaining([expect.stringMatching(/^2/), '4XX']),
        );
      }
    }
  });

  it('exposes Prometheus metrics', async () => {
    await fetch(`${t.baseUrl}/api/health`);
    const text = await (await fetch(`${t.baseUrl}/metrics`)).text();
    expect(text).toContain('http_request_duration_seconds_bucket');
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/api\/health",status_code="200"\} [1-9]/,
    );
    expect(text).toContain('live_sockets');
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('logs one line per request with the route pattern, not the raw URL', () => {
    const lines = t.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    const notFound = lines.find((l) => l['msg'] === 'request' && l['status'] === 404);
    expect(notFound).toMatchObject({ method: 'GET', route: 'unmatched' });
    expect(t.logs.join('\n')).not.toContain('secret-token-123');
  });
});
