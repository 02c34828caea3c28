import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

export interface Socket {
  readonly protocol: 'tcp' | 'udp';
  readonly address: string;
  readonly port: number;
  readonly listening: boolean;
}

/** Hex "0100007F:1F90" (and its IPv6 form) to address and port. */
function decode(hex: string): { address: string; port: number } {
  const [ip, port] = hex.split(':') as [string, string];
  const bytes = (ip.match(/../g) ?? []).map((b) => parseInt(b, 16));
  let address: string;
  if (bytes.length === 4) address = bytes.reverse().join('.');
  else {
    // Four little-endian 32-bit words.
    const words: number[] = [];
    for (let i = 0; i < 16; i += 4) words.push(...bytes.slice(i, i + 4).reverse());
    const groups = [];
    for (let i = 0; i < 16; i += 2) groups.push(((words[i]! << 8) | words[i + 1]!).toString(16));
    address = groups.join(':');
    if (/^0:0:0:0:0:ffff:/.test(address)) {
      address = words.slice(12).join('.');
    } else if (address === '0:0:0:0:0:0:0:1') address = '::1';
    else if (address === '0:0:0:0:0:0:0:0') address = '::';
  }
  return { address, port: parseInt(port, 16) };
}

/** The sockets process `pid` holds, read from /proc as `ss -lunp`/`ss -ltnp` would show them. */
export function socketsOf(pid: number): Socket[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // closed meanwhile
    }
  }
  const sockets: Socket[] = [];
  for (const file of ['tcp', 'tcp6', 'udp', 'udp6'] as const) {
    const lines = readFileSync(`/proc/${pid}/net/${file}`, 'utf8').trim().split('\n').slice(1);
    for (const line of lines) {
      const f = line.trim().split(/\s+/);
      if (!inodes.has(f[9]!)) continue;
      const protocol = file.startsWith('tcp') ? 'tcp' : 'udp';
      // TCP state 0A is LISTEN; an established TCP socket (a client's) was not listened for.
      sockets.push({ protocol, ...decode(f[1]!), listening: protocol === 'udp' || f[3] === '0A' });
    }
  }
  return sockets;
}
