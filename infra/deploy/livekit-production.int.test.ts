import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { livekitBinary } from '../stack/src/livekit.ts';
import { generatedFiles } from './livekit-production.ts';

// livekit-server itself reads each generated production config with its strict parser (an
// unknown field is refused) and lists the ports it would serve. `ports` opens no socket and
// asks nobody: NODE_IP is given, so it does not look for its own address.

const dir = mkdtempSync(join(tmpdir(), 'polyphony-livekit-prod-'));

/** Fills the chart's template expressions as a release named `polyphony` would. */
function rendered(text: string): string {
  return text
    .replaceAll('{{ .Values.domains.turn }}', 'turn.meet.example.org')
    .replaceAll('{{ .Release.Name }}', 'polyphony');
}

function ports(text: string): string {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, text, { mode: 0o600 });
  return execFileSync(livekitBinary(), ['--config', path, 'ports'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_IP: '203.0.113.10' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
}

describe.each(Object.entries(generatedFiles()))('livekit-server reads %s', (_path, text) => {
  it('strictly, and would serve TURN over UDP and TLS and an RTC range', () => {
    const out = ports(rendered(text));
    expect(out).not.toMatch(/could not parse|error/i);
    const config = JSON.parse(rendered(text)) as {
      turn: { udp_port: number; tls_port: number };
      rtc: { port_range_start: number; port_range_end: number; tcp_port: number };
    };
    expect(out).toContain(`${config.turn.udp_port} - TURN/UDP`);
    expect(out).toContain(`${config.turn.tls_port} - TURN/TLS`);
    expect(out).toContain(`${config.rtc.tcp_port} - ICE/TCP`);
    expect(out).toContain(
      `${config.rtc.port_range_start}-${config.rtc.port_range_end} - ICE/UDP range`,
    );
  });
});

it('livekit-server refuses a config with an unknown field (the check above can fail)', () => {
  const bad = JSON.stringify({ port: 7880, rtc: { stun_server: ['x:3478'] } });
  expect(ports(bad)).toMatch(/could not parse config/);
});
