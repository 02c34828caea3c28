// Participants of the rekey bench that run only the product's key manager (`E2eeKeys`, the
// class every page runs, ADR 0035) in Node, with no media: each opens its personal link,
// knocks, is admitted, keeps its live channel open and reads and writes the real key relay
// as a page does (a read at once on the live channel's `keys` nudge and on a roster frame). Ten encrypting Chromium pages on a
// two-core host measure the host (load ~40, every page starved); with some participants here
// instead, the rotation still runs the whole protocol with ten members — each sender wraps for
// nine, each recipient reads and acknowledges its copies — while the pages that remain are real.
// A key client sends no media, so its ring only records which key it would encrypt with.
import type WebSocket from 'ws';
import { connectLive, joinByLink, type ApiClient, type Link, type Stack } from '@polyphony/stack';
import type { E2eeRelay, E2eeView } from '../../apps/web/src/lib/room/e2ee-keys.ts';
import { E2eeKeys } from '../../apps/web/src/lib/room/e2ee-keys.ts';
import type { TraceEvent } from './rekey-run.ts';

export interface KeyClient {
  readonly name: string;
  readonly participantId: string;
  /** Its media identity (participant id and admission number). */
  readonly identity: string;
  readonly trace: TraceEvent[];
  /** The identities the key it would send with was given to (empty before its first key). */
  sendingTo(): readonly string[];
  /** Resolves with Date.now() once that key was given to none of `gone`. */
  switchedAwayFrom(gone: string): Promise<number>;
  close(): void;
}

/**
 * The key relay through the guest's own session, by the endpoint table's names (as the page's
 * `e2eeRelay` calls the same endpoints).
 */
function relayOf(client: ApiClient, meetingId: string, trace: TraceEvent[]): E2eeRelay {
  const params = { id: meetingId };
  return {
    postDeviceKey: async (body) =>
      (await client.endpoint('postDeviceKey', { params, body })).status === 200,
    async read() {
      const answer = await client.endpoint('e2eeKeys', { params });
      if (answer.status !== 200 || !answer.body) return null;
      // When the answer has come, as the pages' trace takes it.
      const at = Date.now();
      trace.push({ at, kind: 'read', keys: answer.body.keys.map((k) => k.identity) });
      return answer.body;
    },
    async sendWrapped(body) {
      const sent = (await client.endpoint('sendWrappedKeys', { params, body })).status === 200;
      trace.push({ at: Date.now(), kind: 'sent' });
      return sent;
    },
    requestResend: async (body) =>
      (await client.endpoint('requestKeyResend', { params, body })).status === 200,
  };
}

/** One key-only participant, admitted by `admit` once it knocks. */
export async function openKeyClient(
  stack: Stack,
  meetingId: string,
  link: Link,
  admit: (participantId: string) => Promise<void>,
): Promise<KeyClient> {
  const guest = await joinByLink(stack.signal.url, stack.origin, link.token, link.name);
  const live = await connectLive(
    stack.signal.url,
    stack.origin,
    meetingId,
    guest.client.cookieHeader(),
  );
  await admit(guest.participantId);
  const media = await live.media;
  // `participantId.admissionNumber` (the domain's mediaIdentity).
  const at = media.identity.lastIndexOf('.');
  const admission = Number(media.identity.slice(at + 1));
  if (!Number.isSafeInteger(admission)) throw new Error('unexpected media identity');
  const trace: TraceEvent[] = [];
  let view: E2eeView | null = null;
  const watchers = new Set<() => void>();
  const keys = new E2eeKeys({
    meetingId,
    identity: media.identity,
    admission,
    relay: relayOf(guest.client, meetingId, trace),
    ring: { setKey: async () => undefined },
    onChange: (next) => {
      view = next;
      for (const watch of [...watchers]) watch();
    },
  });
  // The page reads at once on the `keys` nudge and when the roster's media identities change;
  // a roster frame (or a fresh snapshot) stands for the latter here.
  const READ_ON = new Set(['keys', 'roster', 'snapshot']);
  (live.ws as WebSocket).on('message', (data: WebSocket.RawData) => {
    trace.push({ at: Date.now(), kind: 'live' });
    try {
      if (READ_ON.has((JSON.parse(String(data)) as { type?: string }).type ?? '')) keys.poke();
    } catch {
      // not a live message
    }
  });
  await keys.start();
  const sendingTo = () => view?.sending?.to ?? [];
  return {
    name: link.name,
    participantId: guest.participantId,
    identity: media.identity,
    trace,
    sendingTo,
    switchedAwayFrom(gone) {
      return new Promise((resolve) => {
        const check = () => {
          const to = sendingTo();
          if (to.length === 0 || to.includes(gone)) return;
          watchers.delete(check);
          resolve(Date.now());
        };
        watchers.add(check);
        check();
      });
    },
    close() {
      keys.stop();
      live.close();
    },
  };
}
