import { RoomServiceClient, TrackSource, TwirpError } from 'livekit-server-sdk';

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
  /**
   * One per published track: whether its publisher declared it end-to-end encrypted to LiveKit
   * (`TrackInfo.encryption` other than NONE).
   */
  readonly encrypted: readonly boolean[];
}

/**
 * `RoomService.ListParticipants` through livekit-server-sdk (as the signal service calls it), so
 * the browser tests read the SFU's own view. The SDK signs its own short service token; nothing
 * here hand-writes a grant. A room LiveKit does not know has nobody in it.
 */
export async function listParticipants(
  admin: LivekitAdmin,
  meetingId: string,
): Promise<LivekitMember[]> {
  const rooms = new RoomServiceClient(admin.httpUrl, admin.apiKey, admin.apiSecret);
  let list;
  try {
    list = await rooms.listParticipants(`meeting-${meetingId}`);
  } catch (err) {
    if (err instanceof TwirpError && err.status === 404) return [];
    throw err;
  }
  const name = (source: TrackSource) => TrackSource[source] ?? 'UNKNOWN';
  return list.map((p) => ({
    sid: p.sid,
    identity: p.identity,
    sources: p.tracks.map((t) => name(t.source)).sort(),
    canPublishSources: (p.permission?.canPublishSources ?? []).map(name).sort(),
    canSubscribe: p.permission?.canSubscribe ?? false,
    canPublishData: p.permission?.canPublishData ?? false,
    // Encryption_Type.NONE is 0 (livekit protocol; the server SDK does not re-export the enum).
    encrypted: p.tracks.map((t) => Number(t.encryption) !== 0),
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
