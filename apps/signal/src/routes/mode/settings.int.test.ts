import { describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '@polyphony/db/testing';
import type { LiveSnapshot } from '@polyphony/protocol';
import { createTestMeeting } from '../../testing/meeting-harness.ts';
import { useTestApp } from '../../testing/use-test-app.ts';
import { nextEventOf } from '../../testing/live-client.ts';

describe.each(testDatabaseTargets())('meeting settings on $name', (target) => {
  const t = useTestApp(target);
  const { http, join } = t;

  it('end-to-end encryption is on by default; a facilitator turns it off, everyone is told, the log keeps who', async () => {
    const m = await createTestMeeting(t.app);
    const lee = await join(await m.link('facilitator', 'Dr Avery Lee', m.hostStaffId));
    const dad = await join(await m.link('network', 'Robin Settings-Dad'));
    expect((await http.act(lee, 'admit', dad.participantId)).status).toBe(200);

    const dadLive = t.live(dad);
    const first = await dadLive.nextOf('snapshot', 10_000);
    expect(first.meeting, JSON.stringify(first)).toMatchObject({ encrypted: true });

    const settings = (session: typeof lee, body: unknown) =>
      http.call('POST', `/api/meetings/${m.meetingId}/settings`, { session, body });

    // Only those who lead may change it; nothing changes when they may not.
    expect((await settings(dad, { endToEndEncrypted: false })).body).toMatchObject({
      error: { code: 'FORBIDDEN' },
    });
    // Bad input: a clear code, nothing lost.
    for (const body of [{}, { endToEndEncrypted: 'no' }, { recording: true }, []]) {
      const res = await settings(lee, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    }

    const off = await settings(lee, { endToEndEncrypted: false });
    expect(off.status).toBe(200);
    const event = await nextEventOf(dadLive, 'settings.changed');
    expect(event.event).toMatchObject({
      type: 'settings.changed',
      settings: { endToEndEncrypted: false, networkCamerasInReflection: true },
      actorParticipantId: lee.participantId,
    });
    // The same again changes nothing; a page that comes back is told in its snapshot.
    const again = await settings(lee, { endToEndEncrypted: false });
    expect(again.body).toEqual(off.body);
    const later = t.live(dad);
    expect(((await later.nextOf('snapshot', 10_000)) as LiveSnapshot).meeting.encrypted).toBe(
      false,
    );
    later.close();
    dadLive.close();
  });
});
