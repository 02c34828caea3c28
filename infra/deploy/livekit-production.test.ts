import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEPLOY_DIR,
  generatedFiles,
  productionLivekitConfig,
  STUN_PORT,
  type ProductionLivekit,
} from './livekit-production.ts';

// Reads the generated production configs as committed (what Compose mounts and the chart
// renders) and holds them to issue 19 and ADR 0019: the deployment's own STUN/TURN only,
// Redis shared, TURN on, and no key or password written in them.

const GENERATED = Object.keys(generatedFiles());

/** Names of STUN/TURN services run by others, which no production config may name. */
const THIRD_PARTY = /google|twilio|cloudflare|stunprotocol|metered|xirsys|mozilla|l\.google/i;

function committed(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(DEPLOY_DIR, path), 'utf8')) as Record<string, unknown>;
}

interface Loaded {
  rtc: Record<string, unknown>;
  turn: Record<string, unknown>;
  redis: Record<string, unknown>;
  text: string;
  config: Record<string, unknown>;
}

function load(path: string): Loaded {
  const config = committed(path);
  return {
    config,
    text: readFileSync(join(DEPLOY_DIR, path), 'utf8'),
    rtc: config.rtc as Record<string, unknown>,
    turn: config.turn as Record<string, unknown>,
    redis: config.redis as Record<string, unknown>,
  };
}

describe.each(GENERATED)('generated LiveKit config %s', (path) => {
  const { config, text, rtc, turn, redis } = load(path);

  it('is what the generator writes (run `node --import tsx infra/deploy/livekit-production.ts`)', () => {
    expect(text).toBe(generatedFiles()[path]);
  });

  it('names only the deployment’s own STUN server, never an empty list', () => {
    const stun = rtc.stun_servers as string[];
    expect(stun.length).toBeGreaterThan(0);
    for (const server of stun) {
      expect(server).toBe(`${String(turn.domain)}:${STUN_PORT}`);
      expect(server).not.toMatch(THIRD_PARTY);
    }
    expect(text).not.toMatch(THIRD_PARTY);
    // No outside TURN servers are handed to clients, and the embedded TURN's UDP port (which
    // also answers STUN) keeps LiveKit from adding the public defaults.
    expect(rtc).not.toHaveProperty('turn_servers');
    expect(turn.udp_port).toEqual(expect.any(Number));
    expect(turn.udp_port).toBeGreaterThan(0);
  });

  it('shares Redis between nodes', () => {
    expect(redis.address).toEqual(expect.stringMatching(/^\S.*:\d+$/));
  });

  it('runs the embedded TURN on UDP and on TCP behind TLS, relaying to no private network', () => {
    expect(turn.enabled).toBe(true);
    expect(String(turn.domain)).toMatch(/^[a-z0-9.{}\s_-]+$/i);
    expect(turn.tls_port).toBeGreaterThan(0);
    expect(turn.relay_range_end).toBeGreaterThan(turn.relay_range_start as number);
    if (turn.external_tls === false) {
      expect(turn.cert_file).toEqual(expect.stringMatching(/^\//));
      expect(turn.key_file).toEqual(expect.stringMatching(/^\//));
    }
    expect(turn).not.toHaveProperty('allow_restricted_peer_cidrs');
  });

  it('advertises the node’s real address and an RTC port range', () => {
    // NODE_IP comes from the environment (the Kubernetes node's IP, the Compose host's).
    expect(rtc.use_external_ip).toBe(false);
    expect(rtc).not.toHaveProperty('node_ip');
    expect(rtc.port_range_end).toBeGreaterThan(rtc.port_range_start as number);
    expect(rtc.tcp_port).toBeGreaterThan(0);
  });

  it('holds no key, secret or password: they come from the environment', () => {
    expect(config).not.toHaveProperty('keys');
    expect(config).not.toHaveProperty('key_file');
    expect(redis).not.toHaveProperty('password');
    expect(config.webhook).not.toHaveProperty('api_key');
    expect(text).not.toMatch(/secret|password|"keys"|api_key/i);
  });
});

describe('the keys LiveKit runs with', () => {
  const compose = readFileSync(join(DEPLOY_DIR, 'compose/compose.yaml'), 'utf8');
  const chart = readFileSync(join(DEPLOY_DIR, 'helm/polyphony/templates/livekit.yaml'), 'utf8');

  it('come from .env in Compose: LIVEKIT_KEYS and the rest are ${…} references only', () => {
    expect(compose).toContain(`LIVEKIT_KEYS: '\${LIVEKIT_API_KEY}: \${LIVEKIT_API_SECRET}'`);
    expect(compose).toContain('LIVEKIT_WEBHOOK_API_KEY: ${LIVEKIT_API_KEY}');
    expect(compose).toContain('REDIS_PASSWORD: ${REDIS_PASSWORD}');
    for (const line of compose.split('\n')) {
      const m = /^\s*(\w*(?:SECRET|PASSWORD|_KEY|KEYS)\w*):\s*(.+)$/.exec(line);
      if (m) expect(m[2], m[1]).toMatch(/\$\{/);
    }
  });

  it('come from the Secret in the chart, joined by Kubernetes’ $(VAR) expansion', () => {
    expect(chart).toContain('"key" "livekit-api-secret"');
    expect(chart).toContain(`value: '$(LIVEKIT_API_KEY): $(LIVEKIT_API_SECRET)'`);
  });
});

describe('productionLivekitConfig', () => {
  const base: ProductionLivekit = {
    turnDomain: 'turn.example.org',
    redisAddress: 'redis:6379',
    webhookUrl: 'http://signal:4000/api/livekit/webhook',
    bindAddresses: ['0.0.0.0'],
    nodeAddress: { kind: 'env' },
    turnTls: { kind: 'proxy' },
    ports: {
      http: 7880,
      rtcTcp: 7881,
      rtcUdp: [50000, 60000],
      turnUdp: 3478,
      turnTcp: 5349,
      relay: [30000, 40000],
      prometheus: 6789,
    },
  };

  it.each([
    [{ kind: 'env' } as const, false, undefined],
    [{ kind: 'fixed', ip: '203.0.113.7' } as const, false, '203.0.113.7'],
    [{ kind: 'external' } as const, true, undefined],
  ])('node address %j: use_external_ip %s, node_ip %s', (nodeAddress, external, ip) => {
    const { rtc } = productionLivekitConfig({ ...base, nodeAddress });
    expect(rtc.use_external_ip).toBe(external);
    expect(rtc.node_ip).toBe(ip);
    // With use_external_ip LiveKit asks rtc.stun_servers for its address: only our own.
    expect(rtc.stun_servers).toEqual(['turn.example.org:3478']);
  });

  it('terminates TURN/TLS itself with the given files, or leaves TLS to the proxy', () => {
    const own = productionLivekitConfig({
      ...base,
      turnTls: { kind: 'own', certFile: '/tls/tls.crt', keyFile: '/tls/tls.key' },
    }).turn;
    expect(own).toMatchObject({
      external_tls: false,
      cert_file: '/tls/tls.crt',
      key_file: '/tls/tls.key',
    });
    const proxied = productionLivekitConfig(base).turn;
    expect(proxied.external_tls).toBe(true);
    expect(proxied).not.toHaveProperty('cert_file');
  });
});
