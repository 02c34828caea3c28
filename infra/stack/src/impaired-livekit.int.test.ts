import { dispose } from '@livekit/rtc-node';
import { AccessToken } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_NETWORK } from './impairment.ts';
import { RELAY_IP, startImpairedLivekit, type ImpairedLivekit } from './impaired-livekit.ts';
import { connectMedia, countRemoteSound, publishTone, type MediaClient } from './media-client.ts';

// A real livekit-server behind the impairment relay, real participants (rtc-node): media flows
// at 100 ms round trip and 2 % loss, and only through the relay (cutting it stops the sound).

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function poll(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await sleep(50);
  }
}

describe('LiveKit behind the impairment relay', () => {
  let impaired: ImpairedLivekit;
  const clients: MediaClient[] = [];
  beforeAll(async () => {
    impaired = await startImpairedLivekit({ conditions: BAD_NETWORK });
  });
  afterAll(async () => {
    impaired?.relay.set({ cut: false }); // a client leaving over a cut link waits for it
    for (const c of clients) await c.close();
    await impaired?.stop();
    await dispose();
  });

  const token = (identity: string) => {
    const { apiKey, apiSecret } = impaired.livekit;
    const at = new AccessToken(apiKey, apiSecret, { identity, ttl: 300 });
    at.addGrant({ roomJoin: true, room: 'impaired', canPublish: true, canSubscribe: true });
    return at.toJwt();
  };

  it('advertises only the relay and carries media through it; a cut stops it', async () => {
    const config = await import('node:fs').then((fs) =>
      JSON.parse(fs.readFileSync(impaired.livekit.configPath, 'utf8')),
    );
    expect(config.rtc.node_ip).toBe(RELAY_IP);
    expect(config.rtc.use_ice_lite).toBe(true);
    expect(config.turn).toBeUndefined();

    const t0 = performance.now();
    const speaker = await connectMedia(impaired.relay.clientUrl, await token('speaker'));
    clients.push(speaker);
    console.log(
      `[impaired] connected through the relay in ${(performance.now() - t0).toFixed(0)} ms`,
    );
    const stopTone = await publishTone(speaker.room, 440);
    const listener = await connectMedia(impaired.relay.clientUrl, await token('listener'), {
      autoSubscribe: true,
      dynacast: false,
    });
    clients.push(listener);
    const sound = countRemoteSound(listener.room, 'speaker');
    await poll(() => sound.frames > 200);
    expect(impaired.relay.udp.up.bytes).toBeGreaterThan(0);
    expect(impaired.relay.udp.up.dropped).toBeGreaterThan(0); // 2 % of a few hundred packets
    expect(impaired.relay.tcp.up.bytes).toBeGreaterThan(0);

    impaired.relay.set({ cut: true });
    // What was in flight, the jitter buffer and its loss concealment play out first.
    await sleep(1500);
    const during = sound.frames;
    await sleep(1500);
    const leaked = sound.frames - during;
    impaired.relay.set({ cut: false });
    expect(leaked).toBe(0);

    await poll(() => sound.frames > during + 100);
    console.log(
      `[impaired] relay carried ${impaired.relay.udp.up.packets} packets up (${impaired.relay.udp.up.dropped} lost), ` +
        `${impaired.relay.udp.down.packets} down (${impaired.relay.udp.down.dropped} lost)`,
    );
    await sound.stop();
    await stopTone();
  });
});
