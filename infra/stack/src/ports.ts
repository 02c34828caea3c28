import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/** A TCP port on loopback that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

/** Whether `port` can be bound on loopback. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((res) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => res(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => res(true)));
  });
}

/** `preferred` if free, else any free port. */
export async function portOr(preferred: number): Promise<number> {
  return (await isPortFree(preferred)) ? preferred : freePort();
}

/** A run of `count` consecutive free UDP-ish ports (checked over TCP; good enough on loopback). */
export async function freePortRange(count: number): Promise<[number, number]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const start = 20000 + Math.floor(Math.random() * 30000);
    let ok = true;
    for (let p = start; p < start + count && ok; p++) ok = await isPortFree(p);
    if (ok) return [start, start + count - 1];
  }
  throw new Error('no free port range');
}

/** Whether UDP `port` can be bound on loopback. */
export function isUdpPortFree(port: number): Promise<boolean> {
  return new Promise((res) => {
    const socket = createSocket('udp4');
    socket.unref();
    socket.once('error', () => {
      socket.close();
      res(false);
    });
    socket.bind(port, '127.0.0.1', () => socket.close(() => res(true)));
  });
}

/** A UDP port on loopback that nothing has bound right now. */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const socket = createSocket('udp4');
    socket.unref();
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolvePort(port));
    });
  });
}

/**
 * A run of `count` consecutive UDP ports free on loopback, below the kernel's ephemeral range
 * (32768 and up here) so ports the system hands out do not land in it.
 */
export async function freeUdpPortRange(count: number): Promise<[number, number]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const start = 20000 + Math.floor(Math.random() * (12000 - count));
    let ok = true;
    for (let p = start; p < start + count && ok; p++) ok = await isUdpPortFree(p);
    if (ok) return [start, start + count - 1];
  }
  throw new Error('no free UDP port range');
}

/**
 * A listening socket on loopback, bound here and handed to the child process that serves it
 * (as file descriptor 3, `LISTEN_FD=3`): the port is never "checked free, then bound later",
 * so nothing else can take it in between.
 */
export interface BoundPort {
  readonly port: number;
  /** The socket's descriptor, for a child's `stdio[3]`. */
  readonly fd: number;
  /** Closes this process's copy (after the child has inherited it). */
  release(): Promise<void>;
}

/**
 * Binds `preferred` on loopback, or any free port when it is taken (or with `strict`, fails
 * with EADDRINUSE). Port 0: any free port.
 */
export async function bindPort(preferred = 0, { strict = false } = {}): Promise<BoundPort> {
  try {
    return await bindExactly(preferred);
  } catch (err) {
    if (strict || preferred === 0 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE')
      throw err;
    return bindExactly(0);
  }
}

function bindExactly(port: number): Promise<BoundPort> {
  return new Promise((resolveBound, reject) => {
    // Until the child has it, a connection this process accepts is refused (the product has not
    // been announced yet; clients retry). The child's accepts come from the same socket.
    const srv = createServer((socket) => socket.destroy());
    srv.once('error', reject);
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      const addr = srv.address();
      const fd = (srv as unknown as { _handle?: { fd?: number } })._handle?.fd;
      if (typeof addr !== 'object' || !addr || typeof fd !== 'number' || fd < 0) {
        srv.close();
        reject(new Error('cannot hand a listening socket to a child on this platform'));
        return;
      }
      srv.unref();
      resolveBound({
        port: addr.port,
        fd,
        release: () => new Promise<void>((done) => srv.close(() => done())),
      });
    });
  });
}
