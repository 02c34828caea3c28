import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenVerifier } from 'livekit-server-sdk';
import { DEFAULT_MEETING_SETTINGS, mediaGrants } from '@polyphony/domain';
import { startLivekit, type RunningLivekit } from '../testing/livekit-server.ts';
import { createLivekit, TOKEN_TTL_SECONDS } from './livekit.ts';

describe('LiveKit plugin against a real server', () => {
  let server: RunningLivekit;
  beforeAll(async () => {
    server = await startLivekit();
  }, 60_000);
  afterAll(() => server?.stop());

  it('mints a short-lived single-room token that LiveKit would accept', async () => {
    const livekit = createLivekit(server);
    const grants = mediaGrants('facilitator', 'dialogue', 'admitted', DEFAULT_MEETING_SETTINGS)!;
    const access = await livekit.mintToken({
      meetingId: 'm1',
      participantId: 'p1',
      admissionNumber: 3,
      grants,
    });
    expect(access).toMatchObject({ url: server.url, identity: 'p1.3' });
    const claims = await new TokenVerifier(server.apiKey, server.apiSecret).verify(access.token);
    expect(claims.sub).toBe('p1.3');
    expect(claims.exp! - claims.nbf!).toBe(TOKEN_TTL_SECONDS);
    expect(claims.video).toMatchObject({
      room: 'meeting-m1',
      roomJoin: true,
      canSubscribe: true,
      hidden: false,
      recorder: false,
      roomAdmin: false,
    });
    // The JWT carries source names; the SDK maps its TrackSource enum to them.
    expect(claims.video?.canPublishSources).toEqual([
      'camera',
      'microphone',
      'screen_share',
      'screen_share_audio',
    ]);
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
