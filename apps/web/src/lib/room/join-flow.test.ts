import type { InvitePreview } from '@polyphony/protocol';
import { describe, expect, it } from 'vitest';
import { JoinFlow } from './join-flow.svelte.ts';

const MEETING = '7b0c4a7e-3f1d-4c7a-9a51-0d3c3b8c2f10';
const preview: InvitePreview = {
  meeting: { id: MEETING, state: 'live', scheduledAt: null },
  team: [{ displayName: 'Dr Lee' }],
  organisation: { name: 'North Crisis Team', contact: null },
  role: 'network',
  suggestedName: 'Sam’s dad',
  hasCentrePerson: true,
  recording: {
    audioVideoRecorded: false,
    sharedRecordKept: true,
    timelineKept: true,
    speakingTimeShownToFacilitators: true,
    speakingTimeStored: false,
  },
};

type Call = { url: string; init: RequestInit | undefined };

function fakeFetch(answers: Record<string, [number, unknown]>, calls: Call[] = []): typeof fetch {
  return ((url: string, init?: RequestInit) => {
    calls.push({ url, init });
    const [status, body] = answers[url] ?? [404, { error: { code: 'NOT_FOUND', message: '' } }];
    return Promise.resolve(new Response(JSON.stringify(body), { status }));
  }) as typeof fetch;
}

const TOKEN = 'abcdefghijklmnopqrstuv';

describe('JoinFlow', () => {
  it('shows the invitation and suggests the name staff know', async () => {
    const flow = new JoinFlow(TOKEN);
    await flow.load(fakeFetch({ [`/api/invites/${TOKEN}`]: [200, preview] }));
    expect(flow.status).toBe('ready');
    expect(flow.displayName).toBe('Sam’s dad');
  });

  it.each([
    [404, 'NOT_FOUND', 'link_problem'],
    [403, 'FORBIDDEN', 'link_problem'],
    [503, 'UNAVAILABLE', 'error'],
  ])('a %i %s is a %s page', async (status, code, expected) => {
    const flow = new JoinFlow(TOKEN);
    await flow.load(
      fakeFetch({ [`/api/invites/${TOKEN}`]: [status, { error: { code, message: '' } }] }),
    );
    expect(flow.status).toBe(expected);
  });

  it('a link that cannot be used keeps whom to ask, when the server says', async () => {
    const flow = new JoinFlow(TOKEN);
    const error = { code: 'LINK_INVALID', message: '', contact: 'The ward office, 020 123 4567' };
    await flow.load(fakeFetch({ [`/api/invites/${TOKEN}`]: [404, { error }] }));
    expect(flow.status).toBe('link_problem');
    expect(flow.contact).toBe('The ward office, 020 123 4567');

    const silent = new JoinFlow(TOKEN);
    await silent.load(
      fakeFetch({
        [`/api/invites/${TOKEN}`]: [404, { error: { code: 'LINK_INVALID', message: '' } }],
      }),
    );
    expect(silent.status).toBe('link_problem');
    expect(silent.contact).toBeNull();
  });

  it('an ended meeting gets its own page', async () => {
    const flow = new JoinFlow(TOKEN);
    const ended = { ...preview, meeting: { ...preview.meeting, state: 'ended' } };
    await flow.load(fakeFetch({ [`/api/invites/${TOKEN}`]: [200, ended] }));
    expect(flow.status).toBe('ended');
  });

  it('after the end, an attendee’s link opens the record (a read-only session)', async () => {
    const calls: Call[] = [];
    const ended = { ...preview, meeting: { ...preview.meeting, state: 'ended' } };
    const session = { meetingId: MEETING, participantId: MEETING, csrfToken: 'c', readOnly: true };
    const flow = new JoinFlow(TOKEN);
    await flow.load(
      fakeFetch(
        { [`/api/invites/${TOKEN}`]: [200, ended], [`/api/invites/${TOKEN}/join`]: [200, session] },
        calls,
      ),
    );
    expect(flow.status).toBe('ended');
    expect(flow.recordMeetingId).toBe(MEETING);
    expect(calls.at(-1)?.init?.method).toBe('POST');
  });

  it('after the end, a link never let in shows only that the meeting has ended', async () => {
    const ended = { ...preview, meeting: { ...preview.meeting, state: 'ended' } };
    const refused: [number, unknown] = [409, { error: { code: 'MEETING_ENDED', message: '' } }];
    const flow = new JoinFlow(TOKEN);
    await flow.load(
      fakeFetch({
        [`/api/invites/${TOKEN}`]: [200, ended],
        [`/api/invites/${TOKEN}/join`]: refused,
      }),
    );
    expect(flow.status).toBe('ended');
    expect(flow.recordMeetingId).toBeNull();
  });

  it('a meeting that ends before the knock: the read-only session opens the record', async () => {
    const session = { meetingId: MEETING, participantId: MEETING, csrfToken: 'c', readOnly: true };
    const fetcher = fakeFetch({
      [`/api/invites/${TOKEN}`]: [200, preview],
      [`/api/invites/${TOKEN}/join`]: [200, session],
    });
    const flow = new JoinFlow(TOKEN);
    await flow.load(fetcher);
    expect(await flow.join(fetcher)).toBeNull();
    expect(flow.status).toBe('ended');
    expect(flow.recordMeetingId).toBe(MEETING);
  });

  it('needs a name, then knocks with the name and companions', async () => {
    const calls: Call[] = [];
    const fetcher = fakeFetch(
      {
        [`/api/invites/${TOKEN}`]: [200, preview],
        [`/api/invites/${TOKEN}/join`]: [
          200,
          { meetingId: MEETING, participantId: MEETING, csrfToken: 'c', readOnly: false },
        ],
      },
      calls,
    );
    const flow = new JoinFlow(TOKEN);
    await flow.load(fetcher);
    flow.displayName = '  ';
    expect(await flow.join(fetcher)).toBeNull();
    expect(flow.nameMissing).toBe(true);
    flow.displayName = ' Dad ';
    expect(flow.addCompanion('Mum').ok).toBe(true);
    expect(await flow.join(fetcher)).toBe(MEETING);
    expect(JSON.parse(String(calls.at(-1)?.init?.body))).toEqual({
      displayName: 'Dad',
      companions: ['Mum'],
    });
  });

  it('knocks with an "if we get cut off" plan only when one was typed', async () => {
    const calls: Call[] = [];
    const answers: Record<string, [number, unknown]> = {
      [`/api/invites/${TOKEN}`]: [200, preview],
      [`/api/invites/${TOKEN}/join`]: [
        200,
        { meetingId: MEETING, participantId: MEETING, csrfToken: 'c', readOnly: false },
      ],
    };
    const flow = new JoinFlow(TOKEN);
    await flow.load(fakeFetch(answers, calls));
    flow.planControlledBy = '   ';
    expect(await flow.join(fakeFetch(answers, calls))).toBe(MEETING);
    expect(JSON.parse(String(calls.at(-1)?.init?.body))).not.toHaveProperty('plan');
    flow.planReachBy = " call Mum's mobile ";
    expect(await flow.join(fakeFetch(answers, calls))).toBe(MEETING);
    expect(JSON.parse(String(calls.at(-1)?.init?.body))).toMatchObject({
      plan: { controlledBy: '', reachBy: "call Mum's mobile" },
    });
  });

  it('a companion typed but not added is declared on Join; one that cannot be is shown', async () => {
    const calls: Call[] = [];
    const fetcher = fakeFetch(
      {
        [`/api/invites/${TOKEN}`]: [200, preview],
        [`/api/invites/${TOKEN}/join`]: [
          200,
          { meetingId: MEETING, participantId: MEETING, csrfToken: 'c', readOnly: false },
        ],
      },
      calls,
    );
    const flow = new JoinFlow(TOKEN);
    await flow.load(fetcher);
    flow.companionDraft = 'x'.repeat(81);
    expect(await flow.join(fetcher)).toBeNull();
    expect(flow.companionProblem).toBe('too_long');
    expect(calls).toHaveLength(1);
    expect(flow.addCompanion('Grandad').ok).toBe(true);
    flow.companionDraft = ' Mum ';
    expect(await flow.join(fetcher)).toBe(MEETING);
    expect(JSON.parse(String(calls.at(-1)?.init?.body))).toEqual({
      displayName: 'Sam’s dad',
      companions: ['Grandad', 'Mum'],
    });
    expect(flow.companionDraft).toBe('');
    expect(flow.companionProblem).toBeNull();
  });
});
