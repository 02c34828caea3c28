import type { ErrorCode } from '../errors.ts';
import { ENDPOINTS } from './table.ts';
import { UNSAFE_METHODS, type AccessKind, type EndpointSpec } from './spec.ts';

/**
 * Who calls, in the access matrix (docs/api-access.md) and the test that holds the signal to it.
 * The last three are the endpoint's rightful caller (the first one allowed) with one thing wrong.
 */
export const CALLERS = {
  anonymous: 'nobody signed in, no guest session (on a link endpoint: a token that opens nothing)',
  staff: 'a signed-in clinician of the organisation without a place in the meeting',
  admin: 'the signed-in admin, in the core team, with a place in the meeting',
  guestHere: 'the guest session of this meeting (on a link endpoint: a token that opens nothing)',
  guestElsewhere: 'the guest session of another meeting',
  linkHolder: 'no session, holding the personal link of the path',
  wrongOrigin: 'the rightful caller, with `Origin` another site',
  noCsrf: 'the rightful caller, without `X-CSRF-Token`',
  wrongCsrf: 'the rightful caller, with a wrong `X-CSRF-Token`',
} as const;
export type Caller = keyof typeof CALLERS;

/** The access hooks' answer: let through (the handler then decides), or a refusal. */
export type AccessAnswer = 'allowed' | ErrorCode;

/** The codes with which each access kind refuses; a call let through answers none of them. */
export const ACCESS_REFUSALS: Readonly<Record<AccessKind, readonly ErrorCode[]>> = {
  operator: [],
  public: ['ORIGIN_REJECTED'],
  staff: ['UNAUTHENTICATED', 'CSRF_FAILED'],
  admin: ['UNAUTHENTICATED', 'FORBIDDEN', 'CSRF_FAILED'],
  participant: ['UNAUTHENTICATED', 'NOT_A_PARTICIPANT', 'CSRF_FAILED', 'ORIGIN_REJECTED'],
  link: ['LINK_INVALID', 'ORIGIN_REJECTED'],
  webhook: ['UNAUTHENTICATED'],
};

/** Refusals for a token that is wrong or missing, on a state change only. */
const csrf = (e: EndpointSpec): AccessAnswer =>
  UNSAFE_METHODS.has(e.method) ? 'CSRF_FAILED' : 'allowed';
const origin = (e: EndpointSpec): AccessAnswer =>
  UNSAFE_METHODS.has(e.method) || e.websocket ? 'ORIGIN_REJECTED' : 'allowed';

/** What the access hooks answer to each caller of an endpoint (ADR 0007). */
export function accessAnswer(e: EndpointSpec, caller: Caller): AccessAnswer {
  switch (e.access) {
    case 'operator':
      return 'allowed';
    case 'public':
      return caller === 'wrongOrigin' ? origin(e) : 'allowed';
    case 'staff':
    case 'admin':
      if (caller === 'staff') return e.access === 'admin' ? 'FORBIDDEN' : 'allowed';
      if (caller === 'admin' || caller === 'wrongOrigin') return 'allowed';
      if (caller === 'noCsrf' || caller === 'wrongCsrf') return csrf(e);
      return 'UNAUTHENTICATED';
    case 'participant':
      if (caller === 'guestHere' || caller === 'admin') return 'allowed';
      if (caller === 'staff') return e.staffWithoutPlace ? 'allowed' : 'NOT_A_PARTICIPANT';
      if (caller === 'guestElsewhere') return 'NOT_A_PARTICIPANT';
      if (caller === 'wrongOrigin') return e.websocket ? 'ORIGIN_REJECTED' : 'allowed';
      if (caller === 'noCsrf' || caller === 'wrongCsrf') return csrf(e);
      return 'UNAUTHENTICATED';
    case 'link':
      if (caller === 'linkHolder' || caller === 'noCsrf' || caller === 'wrongCsrf') {
        return 'allowed';
      }
      return caller === 'wrongOrigin' ? origin(e) : 'LINK_INVALID';
    case 'webhook':
      // Only LiveKit's signature lets a call through (tested with signed calls elsewhere).
      return 'UNAUTHENTICATED';
  }
}

const CELL = (a: AccessAnswer) => (a === 'allowed' ? 'yes' : a);

/** docs/api-access.md: every endpoint against every caller, generated from the table. */
export function accessMatrixMarkdown(): string {
  const callers = Object.keys(CALLERS) as Caller[];
  const lines = [
    '# Who may call what',
    '',
    '<!-- Generated from packages/protocol/src/endpoints (ENDPOINTS and accessAnswer); a test',
    '     fails when this page is out of date. Write it again with',
    '     `pnpm --filter @polyphony/protocol run docs`. -->',
    '',
    'Every endpoint of the signal service, its access kind (ADR 0007) and what its access hook',
    'answers each caller before any handler runs: `yes` lets the call through (the handler and',
    'the domain then decide), anything else is the coded refusal. A WebSocket refusal is a close',
    'code (`UNAUTHENTICATED` 4401, `NOT_A_PARTICIPANT` and `ORIGIN_REJECTED` 4403). The',
    'integration test `apps/signal/src/routes/access-matrix.int.test.ts` makes every call.',
    '',
    '## Callers',
    '',
    '| caller | who |',
    '| ------ | --- |',
    ...callers.map((c) => `| \`${c}\` | ${CALLERS[c]} |`),
    '',
    '## Endpoints',
    '',
    `| endpoint | method | path | access | ${callers.map((c) => `\`${c}\``).join(' | ')} |`,
    `| --- | --- | --- | --- | ${callers.map(() => '---').join(' | ')} |`,
    ...(Object.entries(ENDPOINTS) as [string, EndpointSpec][]).map(([name, e]) => {
      const access = `${e.access}${e.staffWithoutPlace ? ' (or staff)' : ''}`;
      const cells = callers.map((c) => CELL(accessAnswer(e, c)));
      return `| \`${name}\` | ${e.method} | \`${e.path}\` | ${access} | ${cells.join(' | ')} |`;
    }),
    '',
  ];
  return lines.join('\n');
}
