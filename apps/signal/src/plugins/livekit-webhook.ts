import { WebhookReceiver } from 'livekit-server-sdk';
import { toLivekitTrack, type LivekitTrack } from './livekit.ts';

/** What we read from a verified LiveKit webhook. */
export interface VerifiedWebhook {
  readonly id: string;
  readonly event: string;
  readonly room: string | null;
  readonly identity: string | null;
  /** The published track, for `track_published`: what it is and what it claims to be. */
  readonly track: LivekitTrack | null;
}

/**
 * Verifies LiveKit's webhook signature over the raw body (the `Authorization` header is a JWT
 * signed with our API secret that carries the body's SHA-256). Throws when it does not verify.
 */
export function createWebhookVerifier(apiKey: string, apiSecret: string) {
  const receiver = new WebhookReceiver(apiKey, apiSecret);
  return async (rawBody: string, authorization: string | undefined): Promise<VerifiedWebhook> => {
    const event = await receiver.receive(rawBody, authorization);
    return {
      id: event.id,
      event: event.event,
      room: event.room?.name ?? null,
      identity: event.participant?.identity ?? null,
      track: event.track ? toLivekitTrack(event.track) : null,
    };
  };
}
