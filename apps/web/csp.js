// The Content-Security-Policy, shared by SvelteKit (kit.csp adds a nonce for its inline
// bootstrap script on rendered pages) and server.js (the same policy on every other response).

/** @type {Record<string, string[]>} */
export const cspDirectives = {
  'default-src': ['self'],
  // WebAssembly compiles (no eval): the noise suppressor's RNNoise runs as WASM in an audio
  // worklet, served from this origin (ADR 0032).
  'script-src': ['self', 'wasm-unsafe-eval'],
  'style-src': ['self', 'unsafe-inline'],
  'img-src': ['self', 'data:', 'blob:'],
  'media-src': ['self', 'blob:', 'mediastream:'],
  'font-src': ['self'],
  // Only this origin at build time; the front server adds the configured LiveKit URL at run time
  // (`withMediaServer`), so a page can reach the media server and nothing else.
  'connect-src': ['self'],
  'worker-src': ['self', 'blob:'],
  'object-src': ['none'],
  'base-uri': ['self'],
  'form-action': ['self'],
  'frame-ancestors': ['none'],
};

/**
 * The origins a page must reach to use the media server at `livekitUrl` (ws:// or wss://):
 * its signalling socket and, for livekit-client's connection checks, the same host over
 * http(s). Throws on anything but a ws(s) URL.
 * @param {string} livekitUrl
 * @returns {string[]}
 */
export function mediaServerSources(livekitUrl) {
  const url = new URL(livekitUrl);
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new Error('LIVEKIT_URL must be a ws:// or wss:// URL');
  }
  const secure = url.protocol === 'wss:';
  return [`${secure ? 'wss' : 'ws'}://${url.host}`, `${secure ? 'https' : 'http'}://${url.host}`];
}

/**
 * A serialized policy with the media server's origins added to `connect-src` (the nonce and
 * everything else kept as they are).
 * @param {string} policy
 * @param {readonly string[]} sources
 */
export function withMediaServer(policy, sources) {
  if (sources.length === 0) return policy;
  return policy.replace(/(^|;\s*)connect-src ([^;]*)/, (_m, lead, values) => {
    const extra = sources.filter((s) => !values.split(' ').includes(s));
    return `${lead}connect-src ${[values, ...extra].join(' ')}`;
  });
}

const KEYWORDS = new Set([
  'self',
  'none',
  'unsafe-inline',
  'unsafe-eval',
  'wasm-unsafe-eval',
  'strict-dynamic',
]);

/** @param {Record<string, string[]>} directives */
export function serializeCsp(directives) {
  return Object.entries(directives)
    .map(([name, values]) =>
      [name, ...values.map((v) => (KEYWORDS.has(v) ? `'${v}'` : v))].join(' '),
    )
    .join('; ');
}
