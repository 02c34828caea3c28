import type { Handle } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { withMediaServer } from '../csp.js';
import { getTextDirection } from '$lib/paraglide/runtime.js';
import { paraglideMiddleware } from '$lib/paraglide/server.js';

const CSP = 'content-security-policy';

/**
 * Picks the language (cookie, then Accept-Language, then English) and stamps it on <html>; adds
 * the configured media server to the page's `connect-src` (set by server.js from LIVEKIT_URL).
 */
export const handle: Handle = async ({ event, resolve }) => {
  const response = await paraglideMiddleware(event.request, ({ request, locale }) => {
    event.request = request;
    return resolve(event, {
      transformPageChunk: ({ html }) =>
        html
          .replace('%paraglide.lang%', locale)
          .replace('%paraglide.dir%', getTextDirection(locale)),
    });
  });
  const policy = response.headers.get(CSP);
  const sources = (env.POLYPHONY_MEDIA_SOURCES ?? '').split(' ').filter(Boolean);
  if (policy && sources.length > 0) {
    response.headers.set(CSP, withMediaServer(policy, sources));
  }
  return response;
};
