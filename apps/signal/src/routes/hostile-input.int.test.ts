// Every endpoint that takes a body or a path parameter, fed hostile input: control and bidi
// characters in every string field, wrong types, unknown fields, hostile path parameters. The
// endpoints come from the endpoint table (which is what the app registers, see
// endpoint-table.int.test.ts), so a new endpoint is covered without an edit.
import { describe, expect, it } from 'vitest';
import { rawQuery, testDatabaseTargets } from '@polyphony/db/testing';
import {
  ENDPOINTS,
  ERROR_STATUS,
  type EndpointSpec,
  type CreateMeetingResponse,
  type ErrorCode,
  type NetworkDetail,
  type NetworkMember,
} from '@polyphony/protocol';
import type { RegisteredRoute } from '../plugins/validation.ts';
import { asSchema, properties, sample, type Schema } from '../testing/schema-sample.ts';
import { setUp } from '../testing/staff-fixture.ts';
import { useTestApp } from '../testing/use-test-app.ts';

/** Every hostile value carries this, so the logs can be searched for any of them. */
const MARK = 'Hostilia';
const HOSTILE_CHARACTERS = [
  '\u0000',
  '\u0001',
  '\u0008',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u009b',
  '\u202e',
  '\u202a',
  '\u2066',
  '\u2069',
  '\r',
  '\n',
];

type Path = readonly (string | number)[];
interface Leaf {
  readonly path: Path;
  readonly schema: Schema;
}

/** Every value in the schema, with where it sits in a body (array items at index 0). */
function leaves(s: Schema, path: Path = []): Leaf[] {
  if (s['type'] === 'object') return properties(s).flatMap(([k, v]) => leaves(v, [...path, k]));
  if (s['type'] === 'array') return leaves(asSchema(s['items']), [...path, 0]);
  return [{ path, schema: s }];
}

function withValue(body: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(body) as Record<string | number, unknown>;
  const [head, ...rest] = path;
  copy[head!] = withValue(copy[head!], rest, value);
  return copy;
}

/** Values of the wrong type for a schema: nothing is converted (no coercion). */
function wrongTypes(s: Schema): unknown[] {
  // A union (e.g. a string or null): what is wrong for every member, and fits none of them.
  if (Array.isArray(s['anyOf'])) {
    const members = (s['anyOf'] as unknown[]).map(asSchema);
    const fits = (v: unknown, m: Schema) =>
      (v === null && m['type'] === 'null') || (typeof v === m['type'] && m['type'] !== 'object');
    return [
      ...new Set(members.flatMap(wrongTypes).filter((v) => !members.some((m) => fits(v, m)))),
    ];
  }
  const type = s['type'] ?? typeof (s['const'] ?? (s['enum'] as unknown[] | undefined)?.[0]);
  switch (type) {
    case 'string':
      return [123, null, [`${MARK}`], { value: MARK }];
    case 'boolean':
      return ['false', 0, null];
    case 'array':
      return [MARK, {}, null];
    case 'object':
      return [MARK, [], null];
    default:
      return [`1${MARK}`, null, true];
  }
}

function mayHold(s: Schema, character: string): boolean {
  return typeof s['pattern'] === 'string' && new RegExp(s['pattern'], 'u').test(`a${character}b`);
}

const pointer = (path: Path) => `body${path.map((p) => `/${p}`).join('')}`;

const HOSTILE_PARAMS = (real: string) => [
  `${MARK}${'x'.repeat(120)}`,
  `${MARK}%E0%A4%A`,
  `${real}%00${MARK}`,
  `%E2%80%AE${MARK}${real}`,
  `${real}%0A${MARK}`,
  `${MARK}%2F..%2F..`,
  `${real.slice(0, -1)}${MARK}`,
];

describe.each(testDatabaseTargets())('hostile input on $name', (target) => {
  const t = useTestApp(target, {
    linkUsesPerMinute: 100_000,
    signInLimits: { perIp: 100_000, perEmail: 100_000 },
  });

  async function world() {
    const { admin, me } = await setUp(t.app, 'Orgatopia Hostile Test');
    const network = await admin.call<NetworkDetail>('POST', '/api/networks', {
      label: 'Labelina household',
      firstContactAt: new Date().toISOString(),
      coreTeamStaffIds: [me.staff.id],
    });
    const member = await admin.call<NetworkMember>(
      'POST',
      `/api/networks/${network.body.id}/members`,
      { name: 'Memberto Realname', relationship: 'cousin', isCentre: true },
    );
    const meeting = await admin.call<CreateMeetingResponse>(
      'POST',
      `/api/networks/${network.body.id}/meetings`,
      { kind: 'immediate', inviteEveryone: true },
    );
    expect(meeting.status).toBe(201);
    const link = meeting.body.links.find((l) => l.invite.memberId === member.body.id)!;
    const joined = await t.http.call('POST', `/api/invites/${link.token}/join`, {
      body: { displayName: 'Guestina Realname', companions: ['Companiona Realname'] },
    });
    expect(joined.status).toBe(200);
    const meetingId = meeting.body.meeting.meeting.id;
    const params = (url: string): Record<string, string> => ({
      id: url.startsWith('/api/networks') ? network.body.id : meetingId,
      memberId: member.body.id,
      inviteId: link.invite.id,
      pid: joined.body['participantId'] as string,
      token: link.token,
    });
    const [hash] = await rawQuery<{ h: string }>(
      t.app.database,
      'select password_hash as h from staff limit 1',
    );
    const secrets = [
      me.staff.email,
      me.staff.displayName,
      'Orgatopia',
      'Labelina',
      'Memberto',
      'Guestina',
      'Companiona',
      link.token,
      admin.cookie!,
      hash!.h,
    ];
    return { admin, params, secrets };
  }

  async function everything(): Promise<string> {
    const tables = await rawQuery<{ name: string }>(
      t.app.database,
      "select table_name as name from information_schema.tables where table_schema = 'public' order by 1",
    );
    const dump: Record<string, unknown> = {};
    for (const { name } of tables) {
      dump[name] = (await rawQuery(t.app.database, `select * from "${name}"`))
        .map((r) => JSON.stringify(r))
        .sort();
    }
    return JSON.stringify(dump);
  }

  it('refuses every hostile body and path with a coded 4xx, changes nothing, logs none of it', async () => {
    const { admin, params, secrets } = await world();
    const routes: RegisteredRoute[] = (Object.values(ENDPOINTS) as EndpointSpec[])
      .filter((e) => e.body || e.path.includes(':'))
      .map((e) => ({ method: e.method, url: e.path, schema: e.body ? { body: e.body } : {} }));
    const withBodies = routes.filter((r) => r.schema?.body);
    expect(withBodies.length).toBeGreaterThanOrEqual(13);
    expect(routes.length - withBodies.length).toBeGreaterThanOrEqual(10);

    const before = await everything();
    const failures: string[] = [];
    let sent = 0;
    async function expectRefused(
      route: RegisteredRoute,
      url: string,
      body: unknown,
      expected?: { code: ErrorCode; at: string },
    ) {
      sent += 1;
      // The staff client sends as the admin's page would: cookie, Origin, CSRF token.
      const res = await admin.call(route.method as 'POST', url, body);
      const what = `${route.method} ${url} ${JSON.stringify(body)} → ${res.status} ${res.text}`;
      let parsed: { error?: { code?: ErrorCode; message?: string } } = {};
      try {
        parsed = JSON.parse(res.text) as typeof parsed;
      } catch {
        failures.push(`not JSON: ${what}`);
        return;
      }
      const code = parsed.error?.code;
      if (res.status < 400 || res.status >= 500) failures.push(`status: ${what}`);
      else if (!code || ERROR_STATUS[code] !== res.status) failures.push(`uncoded: ${what}`);
      else if (expected && code !== expected.code) failures.push(`code: ${what}`);
      else if (expected && !parsed.error!.message!.includes(`at ${expected.at} `)) {
        failures.push(`refused elsewhere than ${expected.at}: ${what}`);
      }
      if (res.text.includes(MARK)) failures.push(`echoed: ${what}`);
    }
    const realUrl = (route: RegisteredRoute) =>
      route.url.replace(/:(\w+)/g, (_m, name: string) => params(route.url)[name]!);

    for (const route of withBodies) {
      const schema = asSchema(route.schema!.body);
      const base = sample(schema);
      const url = realUrl(route);
      for (const leaf of leaves(schema)) {
        const at = pointer(leaf.path);
        for (const c of HOSTILE_CHARACTERS) {
          if (mayHold(leaf.schema, c)) continue;
          const body = withValue(base, leaf.path, `${MARK}${c}value`);
          await expectRefused(route, url, body, { code: 'VALIDATION_FAILED', at });
        }
      }
      for (const [key, value] of properties(schema)) {
        for (const wrong of wrongTypes(value)) {
          const body = withValue(base, [key], wrong);
          await expectRefused(route, url, body, { code: 'VALIDATION_FAILED', at: pointer([key]) });
        }
      }
      for (const body of [
        { ...(base as object), [MARK]: 1 },
        { [MARK]: 'only an unknown field' },
        [MARK],
        `${MARK}`,
        null,
      ]) {
        await expectRefused(route, url, body, { code: 'VALIDATION_FAILED', at: 'body' });
      }
    }

    for (const route of routes.filter((r) => r.url.includes(':'))) {
      const names = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
      const body = route.schema?.body ? sample(asSchema(route.schema.body)) : undefined;
      for (const name of names) {
        for (const value of HOSTILE_PARAMS(params(route.url)[name]!)) {
          const url = route.url.replace(/:(\w+)/g, (_m, n: string) =>
            n === name ? value : params(route.url)[n]!,
          );
          await expectRefused(route, url, body);
        }
      }
    }

    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(500);
    expect(await everything()).toBe(before);
    const logs = t.logs.join('\n');
    expect(logs).not.toContain(MARK);
    for (const secret of secrets) expect(logs).not.toContain(secret);
    expect(logs).not.toMatch(/params|Failed query|argon2|example\.(org|net)/i);
  });
});
