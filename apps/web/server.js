// The production front server: one origin for people. Serves the SvelteKit build and forwards
// /api (HTTP and WebSocket) to the signal service. Run with `node apps/web/server.js`.
import { createServer } from 'node:http';
import { createProxyServer } from 'http-proxy-3';
import { cspDirectives, mediaServerSources, serializeCsp, withMediaServer } from './csp.js';

const HOST = process.env.HOST ?? '127.0.0.1';
const PORT = Number.parseInt(process.env.PORT ?? '3000', 10);
const SIGNAL_URL = process.env.SIGNAL_URL ?? 'http://127.0.0.1:4000';
// Set by `npm start` and the test stack: serve the socket the parent bound and handed over.
const LISTEN_FD = process.env.LISTEN_FD ? Number.parseInt(process.env.LISTEN_FD, 10) : null;

if (LISTEN_FD !== null && !(Number.isInteger(LISTEN_FD) && LISTEN_FD >= 3)) {
  log('invalid LISTEN_FD', { level: 'error' });
  process.exit(1);
}
if (!Number.isInteger(PORT) || PORT < 0 || PORT > 65_535) {
  log('invalid PORT', { level: 'error' });
  process.exit(1);
}
try {
  new URL(SIGNAL_URL);
} catch {
  log('invalid SIGNAL_URL', { level: 'error' });
  process.exit(1);
}

/** The media server pages may reach (connect-src); none when LIVEKIT_URL is unset. */
let MEDIA_SOURCES = /** @type {string[]} */ ([]);
try {
  MEDIA_SOURCES = process.env.LIVEKIT_URL ? mediaServerSources(process.env.LIVEKIT_URL) : [];
} catch {
  log('invalid LIVEKIT_URL', { level: 'error' });
  process.exit(1);
}
process.env.POLYPHONY_MEDIA_SOURCES = MEDIA_SOURCES.join(' ');

const SECURITY_HEADERS = {
  'Content-Security-Policy': withMediaServer(serializeCsp(cspDirectives), MEDIA_SOURCES),
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};

const UNAVAILABLE = JSON.stringify({
  error: { code: 'UNAVAILABLE', message: 'The service is not reachable right now.' },
});

/**
 * One JSON line per event; never a URL, header, cookie or body (they can carry personal data).
 * @param {string} msg
 * @param {Record<string, unknown>} [fields]
 */
function log(msg, fields = {}) {
  process.stdout.write(`${JSON.stringify({ msg, ...fields })}\n`);
}

/** @param {string | undefined} url */
function isApi(url) {
  return (
    url === '/api' || (url?.startsWith('/api/') ?? false) || (url?.startsWith('/api?') ?? false)
  );
}

// Host, Origin and Cookie pass through untouched (changeOrigin off) so the signal service can
// check the origin and read the session cookie; X-Forwarded-* tell it who the client is.
const proxy = createProxyServer({ target: SIGNAL_URL, ws: true, xfwd: true });

/**
 * This server is the product's front door: forwarding headers a client sent are dropped, so the
 * `X-Forwarded-For` the signal service believes is the address this server saw, and per-client
 * limits bite that client alone. Behind a reverse proxy of the operator's, set
 * `WEB_TRUST_FORWARDED=1` to keep (and append to) the proxy's header.
 */
const TRUST_FORWARDED = process.env.WEB_TRUST_FORWARDED === '1';
const FORWARDING_HEADERS = [
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-port',
  'x-forwarded-proto',
  'x-real-ip',
];

/** @param {import('node:http').IncomingMessage} req */
function dropForwarding(req) {
  if (TRUST_FORWARDED) return;
  for (const name of FORWARDING_HEADERS) delete req.headers[name];
}

proxy.on('error', (error, _req, res) => {
  log('signal unreachable', {
    level: 'warn',
    code: /** @type {{ code?: string }} */ (error).code ?? 'ERROR',
  });
  if (!res) return;
  if ('writeHead' in res) {
    if (!res.headersSent) {
      res.writeHead(502, { 'Content-Type': 'application/json; charset=utf-8' });
    }
    res.end(UNAVAILABLE);
  } else {
    // A WebSocket upgrade: answer on the raw socket and close it.
    res.end(
      `HTTP/1.1 502 Bad Gateway\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(UNAVAILABLE)}\r\nConnection: close\r\n\r\n${UNAVAILABLE}`,
    );
  }
});

const { handler } = await import('./build/handler.js');

const server = createServer((req, res) => {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  if (isApi(req.url)) {
    dropForwarding(req);
    proxy.web(req, res);
    return;
  }
  handler(req, res, () => {
    res.statusCode = 404;
    res.end('Not found');
  });
});

server.on('upgrade', (req, socket, head) => {
  if (!isApi(req.url)) {
    socket.destroy();
    return;
  }
  socket.on('error', () => socket.destroy());
  dropForwarding(req);
  proxy.ws(req, socket, head);
});

server.listen(LISTEN_FD === null ? { port: PORT, host: HOST } : { fd: LISTEN_FD }, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : PORT;
  log('web listening', { port });
});

let closing = false;
/** @param {NodeJS.Signals} signal */
function shutdown(signal) {
  if (closing) return;
  closing = true;
  log('web closing', { signal });
  server.close(() => {
    proxy.close();
    process.exit(0);
  });
  server.closeIdleConnections();
  // WebSockets and slow requests get a moment, then everything goes.
  setTimeout(() => {
    server.closeAllConnections();
    process.exit(0);
  }, 5_000).unref();
}

process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
