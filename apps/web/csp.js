// The Content-Security-Policy, shared by SvelteKit (kit.csp adds a nonce for its inline
// bootstrap script on rendered pages) and server.js (the same policy on every other response).

/** @type {Record<string, string[]>} */
export const cspDirectives = {
  'default-src': ['self'],
  'script-src': ['self'],
  'style-src': ['self', 'unsafe-inline'],
  'img-src': ['self', 'data:', 'blob:'],
  'media-src': ['self', 'blob:', 'mediastream:'],
  'font-src': ['self'],
  // LiveKit keeps its own URL (signalling over ws/wss, region lookups over http/https).
  'connect-src': ['self', 'ws:', 'wss:', 'http:', 'https:'],
  'worker-src': ['self', 'blob:'],
  'object-src': ['none'],
  'base-uri': ['self'],
  'form-action': ['self'],
  'frame-ancestors': ['none'],
};

const KEYWORDS = new Set(['self', 'none', 'unsafe-inline', 'unsafe-eval', 'strict-dynamic']);

/** @param {Record<string, string[]>} directives */
export function serializeCsp(directives) {
  return Object.entries(directives)
    .map(([name, values]) =>
      [name, ...values.map((v) => (KEYWORDS.has(v) ? `'${v}'` : v))].join(' '),
    )
    .join('; ');
}
