import { beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_OPEN_TIMEOUT_MS, rawQuery, testDatabaseTargets } from '@polyphony/db/testing';
import type { LiveSnapshot, RecordResponse, TimelineResponse } from '@polyphony/protocol';
import {
  createTestMeeting,
  type Session,
  type TestLink,
  type TestMeeting,
} from '../../testing/meeting-harness.ts';
import { useTestApp } from '../../testing/use-test-app.ts';

describe.each(testDatabaseTargets())(
  'coming back through one’s link after the end on $name',
  (target) => {
    const t = useTestApp(target, { livekit: 'plain', reconcileIntervalMs: 0 });
    const { http, join } = t;

    let meeting: TestMeeting;
    let lee: Session;
    let dadLink: TestLink;
    let dad: Session;
    let granLink: TestLink;
    let uncleLink: TestLink;
    let auntLink: TestLink;
    let cousinLink: TestLink;

    const read = (cookie: string, what: 'record' | 'timeline' = 'record') =>
      fetch(`${t.baseUrl}/api/meetings/${meeting.meetingId}/${what}`, { headers: { cookie } }).then(
        async (res) => ({ status: res.status, body: (await res.json()) as unknown }),
      );
    const lastSeq = async () =>
      (
        await rawQuery<{ last_seq: number }>(
          t.db.database,
          'select last_seq from meetings where id = $1',
          [meeting.meetingId],
        )
      )[0]!.last_seq;
    const inviteOf = async (participantId: string) =>
      (
        await rawQuery<{ invite_id: string }>(
          t.db.database,
          'select invite_id from participants where id = $1',
          [participantId],
        )
      )[0]!.invite_id;

    beforeAll(async () => {
      meeting = await createTestMeeting(t.app);
      lee = await join(await meeting.link('facilitator', 'Dr Lee', meeting.hostStaffId));
      const sam = await join(await meeting.link('centre', 'Sam'));
      expect((await http.act(lee, 'admit', sam.participantId)).status).toBe(200);
      const letIn = async (link: TestLink) => {
        const session = await join(link);
        expect((await http.act(lee, 'admit', session.participantId)).status).toBe(200);
        expect((await http.act(sam, 'consent', session.participantId)).status).toBe(200);
        return session;
      };
      dadLink = await meeting.link('network', 'Dad');
      dad = await letIn(dadLink);
      auntLink = await meeting.link('network', 'Aunt Mia');
      await letIn(auntLink);
      cousinLink = await meeting.link('network', 'Cousin');
      await letIn(cousinLink);
      granLink = await meeting.link('network', 'Gran');
      await join(granLink); // knocked, never let in
      uncleLink = await meeting.link('network', 'Uncle'); // never used
      expect((await http.act(lee, 'remove', dad.participantId)).status).toBe(200);
      expect(
        (await http.call('POST', `/api/meetings/${meeting.meetingId}/end`, { session: lee }))
          .status,
      ).toBe(200);
    }, DATABASE_OPEN_TIMEOUT_MS);

    it('someone let in gets a new read-only session for the record: no knock, no media', async () => {
      const seq = await lastSeq();
      const { res, session } = await http.join(dadLink, ['Someone new'], 'Another name');
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({
        meetingId: meeting.meetingId,
        participantId: dad.participantId,
        readOnly: true,
      });
      expect(session!.cookie).toMatch(/^pp_guest=/);
      expect(session!.cookie).not.toBe(dad.cookie);
      expect(await lastSeq()).toBe(seq); // nothing was written to the log

      const record = await read(session!.cookie);
      expect(record.status).toBe(200);
      expect((record.body as RecordResponse).meeting.state).toBe('ended');
      const timeline = await read(session!.cookie, 'timeline');
      expect(timeline.status).toBe(200);
      const people = (timeline.body as TimelineResponse).people.map((p) => p.displayName);
      expect(people).toContain('Dad'); // the name stays as it was in the meeting
      expect(people).not.toContain('Another name');

      const live = t.live(session!);
      const snapshot: LiveSnapshot = await live.nextOf('snapshot');
      expect(snapshot.media).toBeNull();
      expect(snapshot.meeting.state).toBe('ended');

      // The session reads; it cannot act.
      const leave = await http.call(
        'DELETE',
        `/api/meetings/${meeting.meetingId}/participants/me`,
        { session: session! },
      );
      expect(leave.status).toBe(409);
      expect(await lastSeq()).toBe(seq);
    });

    it('a link never used to get in gives nothing more than before: 409 MEETING_ENDED, no cookie', async () => {
      for (const link of [granLink, uncleLink]) {
        const { res, session } = await http.join(link);
        expect(res.status).toBe(409);
        expect(res.body).toMatchObject({ error: { code: 'MEETING_ENDED' } });
        expect(res.headers.get('set-cookie')).toBeNull();
        expect(session).toBeNull();
      }
    });

    it('revoked and expired links give nothing: 404 LINK_INVALID, no cookie', async () => {
      await rawQuery(t.db.database, 'update invites set revoked_at = now() where id = $1', [
        await inviteOf(auntLink.participantId),
      ]);
      await rawQuery(
        t.db.database,
        `update invites set expires_at = now() - interval '1 second' where id = $1`,
        [await inviteOf(cousinLink.participantId)],
      );
      for (const link of [auntLink, cousinLink]) {
        const { res } = await http.join(link);
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ error: { code: 'LINK_INVALID' } });
        expect(res.headers.get('set-cookie')).toBeNull();
      }
    });
  },
);
