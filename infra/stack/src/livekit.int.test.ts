import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  LOOPBACK,
  generateLivekitKeys,
  livekitConfig,
  startLivekit,
  type LivekitConfig,
  type RunningLivekit,
} from './livekit.ts';
import { socketsOf } from './sockets.ts';

// Nothing leaves the deployment (issue 19, ADR 0019): the config every dev and test stack (and
// `npm start`) runs LiveKit with names no STUN or TURN server but its own on loopback, and the
// real livekit-server started with it listens on 127.0.0.1 only.

/** Every STUN/TURN host the config would have LiveKit offer or use, and every bind address. */
function addressesIn(config: LivekitConfig): string[] {
  const hostOf = (hostPort: string) => hostPort.slice(0, hostPort.lastIndexOf(':'));
  return [
    ...config.bind_addresses,
    config.rtc.node_ip,
    ...config.rtc.stun_servers.map(hostOf),
    ...(config.turn?.bind_addresses ?? []),
  ];
}

function expectLoopbackOnly(config: LivekitConfig): void {
  expect(config.rtc.stun_servers.length).toBeGreaterThan(0); // empty means Google's and Twilio's
  for (const address of addressesIn(config)) expect(address).toBe(LOOPBACK);
  expect(config.rtc.use_external_ip).toBe(false);
  expect(config.rtc.ips.includes).toEqual([`${LOOPBACK}/32`]);
  expect(config.rtc.enable_loopback_candidate).toBe(true);
  expect(config.rtc.tcp_port).toBe(0); // LiveKit listens for ICE/TCP on every interface
  if (config.turn) {
    expect(config.turn.allow_restricted_peer_cidrs).toEqual([`${LOOPBACK}/32`]);
    expect(config.rtc.stun_servers).toEqual([`${LOOPBACK}:${config.turn.udp_port}`]);
  }
}

describe('LiveKit config: nothing leaves the deployment', () => {
  const running: RunningLivekit[] = [];
  afterAll(async () => {
    for (const lk of running) await lk.stop();
  });

  it('the generated config names only loopback, with and without TURN', () => {
    const keys = generateLivekitKeys();
    expectLoopbackOnly(livekitConfig({ ports: { port: 7880, udpPort: 7882 }, keys }));
    expectLoopbackOnly(
      livekitConfig({
        ports: { port: 7880, udpPort: 7882, turnUdpPort: 3478, relayRange: [30000, 30099] },
        keys,
        webhookUrl: 'http://127.0.0.1:1/api/livekit/webhook',
      }),
    );
    expect(() =>
      livekitConfig({ ports: { port: 7880, udpPort: 7882, turnUdpPort: 3478 }, keys }),
    ).toThrow(/relay/);
  });

  for (const turn of [true, false]) {
    it(`a started livekit-server (TURN ${turn ? 'on' : 'off'}) listens on 127.0.0.1 only`, async () => {
      const lk = await startLivekit({ turn });
      running.push(lk);
      const config = JSON.parse(readFileSync(lk.configPath, 'utf8')) as LivekitConfig;
      expectLoopbackOnly(config);
      expect(Boolean(config.turn)).toBe(turn);

      const pid = lk.process.pid!;
      // The UDP mux binds once the server has started: wait for the media port to appear.
      await expect
        .poll(
          () => socketsOf(pid).some((s) => s.protocol === 'udp' && s.port === lk.ports.udpPort),
          {
            timeout: 30_000,
          },
        )
        .toBe(true);
      const listening = socketsOf(pid).filter((s) => s.listening);
      const summary = listening.map((s) => `${s.protocol} ${s.address}:${s.port}`).sort();
      const expected = [
        `tcp ${LOOPBACK}:${lk.ports.port}`,
        `udp ${LOOPBACK}:${lk.ports.udpPort}`,
        ...(turn ? [`udp ${LOOPBACK}:${lk.ports.turnUdpPort}`] : []),
      ].sort();
      // Every socket it listens on is one of ours, on loopback: no wildcard, no other interface.
      expect(summary).toEqual(expected);
    });
  }
});
