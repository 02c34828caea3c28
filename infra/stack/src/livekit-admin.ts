import { createHmac } from 'node:crypto';

/** The LiveKit keys and HTTP URL a test stack runs with. */
export interface LivekitAdmin {
  readonly httpUrl: string;
  readonly apiKey: string;
  readonly apiSecret: string;
}

/** A LiveKit participant as the server's own RoomService reports it. */
export interface LivekitMember {
  readonly sid: string;
  readonly identity: string;
  /** Track sources published now, e.g. `MICROPHONE`, `CAMERA`, `SCREEN_SHARE`. */
  readonly sources: readonly string[];
  /** `canPublishSources` as LiveKit holds it (source names, sorted). */
  readonly canPublishSources: readonly string[];
  readonly canSubscribe: boolean;
  readonly canPublishData: boolean;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A one-minute admin token for one room, signed as LiveKit expects (HS256). */
function adminToken(admin: LivekitAdmin, room: string): string {
  const now = Math.floor(Date.now() / 1000);
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({
    iss: admin.apiKey,
    nbf: now - 5,
    exp: now + 60,
    video: { room, roomAdmin: true },
  })}`;
  return `${body}.${createHmac('sha256', admin.apiSecret).update(body).digest('base64url')}`;
}

/** LiveKit's Twirp JSON uses the proto field names (snake_case). */
interface TwirpParticipant {
  sid?: string;
  identity?: string;
  tracks?: { source?: string; type?: string }[];
  permission?: {
    can_publish_sources?: string[];
    can_subscribe?: boolean;
    can_publish_data?: boolean;
  };
}

/**
 * `RoomService.ListParticipants` over LiveKit's Twirp JSON API (what livekit-server-sdk calls),
 * so the browser tests read the SFU's own view without a server SDK in the web app.
 */
export async function listParticipants(
  admin: LivekitAdmin,
  meetingId: string,
): Promise<LivekitMember[]> {
  const room = `meeting-${meetingId}`;
  const res = await fetch(`${admin.httpUrl}/twirp/livekit.RoomService/ListParticipants`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${adminToken(admin, room)}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ room }),
  });
  if (res.status === 404) return [];
  if (!res.ok) throw new Error(`ListParticipants: HTTP ${res.status} ${await res.text()}`);
  const json = (await res.json()) as { participants?: TwirpParticipant[] };
  return (json.participants ?? []).map((p) => ({
    sid: p.sid ?? '',
    identity: p.identity ?? '',
    sources: (p.tracks ?? []).map((t) => t.source ?? 'UNKNOWN').sort(),
    canPublishSources: [...(p.permission?.can_publish_sources ?? [])].sort(),
    canSubscribe: p.permission?.can_subscribe ?? false,
    canPublishData: p.permission?.can_publish_data ?? false,
  }));
}

/** The participant id in a media identity `<participantId>.<admission>`. */
export const participantOf = (identity: string): string => identity.replace(/\.\d+$/, '');

/** What a seat claim needs of a live channel: its socket. */
interface SeatChannel {
  readonly ws: { send(data: string): void };
}

/**
 * Does what an admitted page does after connecting to LiveKit with its ticket: claims the seat
 * over its live channel with the connection's sid (read here from LiveKit), then waits until
 * LiveKit holds the grants. Tickets carry no rights until then (ADR 0014).
 */
export async function claimSeats(
  admin: LivekitAdmin,
  meetingId: string,
  seats: readonly { readonly identity: string; readonly live: SeatChannel }[],
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const claimed = new Map<string, string>();
  for (;;) {
    const members = await listParticipants(admin, meetingId);
    let waiting = 0;
    for (const { identity, live } of seats) {
      const member = members.find((m) => m.identity === identity);
      if (!member) {
        waiting++;
        continue;
      }
      if (claimed.get(identity) !== member.sid) {
        live.ws.send(JSON.stringify({ type: 'seat', sid: member.sid }));
        claimed.set(identity, member.sid);
      }
      if (!member.canSubscribe) waiting++;
    }
    if (waiting === 0) return;
    if (Date.now() > deadline) throw new Error(`${waiting} seats not granted in time`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
