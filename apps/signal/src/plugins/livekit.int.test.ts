import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenVerifier } from 'livekit-server-sdk';
import { DEFAULT_MEETING_SETTINGS, mediaGrants } from '@polyphony/domain';
import { startLivekit, type RunningLivekit } from '../testing/livekit-server.ts';
import { connectWith } from '@polyphony/stack';
import { createLivekit, TOKEN_TTL_SECONDS } from './livekit.ts';

describe('LiveKit plugin against a real server', () => {
  let server: RunningLivekit;
  beforeAll(async () => {
    server = await startLivekit();
  }, 60_000);
  afterAll(() => server?.stop());

  it('mints a short-lived single-room ticket with no media rights', async () => {
    const livekit = createLivekit(server);
    const access = await livekit.mintToken({
      meetingId: 'm1',
      participantId: 'p1',
      admissionNumber: 3,
    });
    expect(access).toMatchObject({ url: server.url, identity: 'p1.3' });
    const claims = await new TokenVerifier(server.apiKey, server.apiSecret).verify(access.token);
    expect(claims.sub).toBe('p1.3');
    expect(claims.exp! - claims.nbf!).toBe(TOKEN_TTL_SECONDS);
    expect(claims.video).toMatchObject({
      room: 'meeting-m1',
      roomJoin: true,
      canSubscribe: false,
      canPublish: false,
      canPublishData: false,
      hidden: false,
      recorder: false,
      roomAdmin: false,
    });
    expect(claims.video?.canPublishSources ?? []).toEqual([]);
  });

  it('seats only the connection that holds the identity, and marks it', async () => {
    const livekit = createLivekit(server);
    const meetingId = randomUUID();
    const grants = mediaGrants('network', 'dialogue', 'admitted', DEFAULT_MEETING_SETTINGS)!;
    const ticket = await livekit.mintToken({ meetingId, participantId: 'p2', admissionNumber: 1 });
    const first = await connectWith(ticket);
    try {
      const sid = first.room.localParticipant!.sid!;
      expect(await livekit.seat(meetingId, 'p2.1', 'PA_notthisone', grants)).toBe(false);
      expect(await livekit.getParticipant(meetingId, 'p2.1')).toMatchObject({
        sid,
        seated: false,
        permission: { canSubscribe: false, canPublish: false },
      });
      expect(await livekit.seat(meetingId, 'p2.1', sid, grants)).toBe(true);
      expect(await livekit.getParticipant(meetingId, 'p2.1')).toMatchObject({
        sid,
        seated: true,
        permission: { canSubscribe: true, canPublish: true },
      });
      expect(await livekit.seat(meetingId, 'nobody.1', sid, grants)).toBe(false);
    } finally {
      await first.close();
    }
  });

  it('lists nobody in an empty room and treats absent identities as absent', async () => {
    const livekit = createLivekit(server);
    expect(await livekit.ping()).toBe(true);
    expect(await livekit.listParticipants('empty')).toEqual([]);
    expect(await livekit.removeParticipant('empty', 'x.1')).toBe(false);
    expect(await livekit.updatePermissions('empty', 'x.1', null)).toBe(false);
  });

  it('reports LiveKit down once it stops', async () => {
    const gone = await startLivekit();
    await gone.stop();
    expect(await createLivekit(gone).ping()).toBe(false);
  });
});
