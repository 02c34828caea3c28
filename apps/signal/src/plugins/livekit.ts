import fp from 'fastify-plugin';
import {
  AccessToken,
  RoomServiceClient,
  TwirpError,
  type ParticipantInfo,
  type TrackInfo,
} from 'livekit-server-sdk';
import {
  mediaIdentity,
  type MediaGrants,
  type MediaSource,
  type TrackKind,
} from '@polyphony/domain';
import type { MediaAccess } from '@polyphony/protocol';
import type { LivekitConfig } from '../config.ts';
import {
  fromTrackSource,
  fromTrackType,
  roomName,
  SEAT_ATTRIBUTE,
  toParticipantPermission,
  toVideoGrant,
  type ReportedPermission,
} from './livekit-grants.ts';

/**
 * Media tokens are short-lived tickets (they carry no media rights anyway): a client asks the
 * live channel for a fresh one on reconnect.
 */
export const TOKEN_TTL_SECONDS = 2 * 60;
const REQUEST_TIMEOUT_SECONDS = 3;

export interface MediaTicket {
  readonly meetingId: string;
  readonly participantId: string;
  readonly admissionNumber: number;
}

/** Everything the service does with LiveKit; the only code that talks to it. */
export interface Livekit {
  /** Signs a join-only token for one room (no media rights). No display name is sent. */
  mintToken(ticket: MediaTicket): Promise<MediaAccess>;
  /**
   * Seats one connection: when the identity's connection in the room is `sid`, gives it the
   * complete grants and marks it as the seat holder. False when another connection (or none)
   * holds that identity now.
   */
  seat(meetingId: string, identity: string, sid: string, grants: MediaGrants): Promise<boolean>;
  /** One connected participant, or null when that identity is not in the room. */
  getParticipant(meetingId: string, identity: string): Promise<LivekitParticipant | null>;
  /**
   * Replaces a connected participant's permissions with the complete set from the policy.
   * False when that identity is not connected (its next token carries the policy anyway).
   */
  updatePermissions(
    meetingId: string,
    identity: string,
    grants: MediaGrants | null,
  ): Promise<boolean>;
  /** Disconnects an identity from the room; false when it was not connected. */
  removeParticipant(meetingId: string, identity: string): Promise<boolean>;
  /** Who is connected to the meeting's room, with permissions and published tracks. */
  listParticipants(meetingId: string): Promise<LivekitParticipant[]>;
  /** True when the LiveKit API answers. */
  ping(): Promise<boolean>;
}

/** A published track as LiveKit reports it: what it is (kind) and what it claims (source). */
export interface LivekitTrack {
  readonly sid: string;
  /** null: a data track, which nobody is granted. */
  readonly kind: TrackKind | null;
  /** null: a source we never grant. */
  readonly source: MediaSource | null;
  readonly muted: boolean;
}

/** A participant LiveKit reports in a room. */
export interface LivekitParticipant {
  readonly identity: string;
  readonly sid: string;
  readonly permission: ReportedPermission | null;
  /** Whether the signal service seated this very connection (see {@link SEAT_ATTRIBUTE}). */
  readonly seated: boolean;
  readonly tracks: readonly LivekitTrack[];
}

/** LiveKit's participant info in our terms. */
export function toLivekitParticipant(p: ParticipantInfo): LivekitParticipant {
  return {
    identity: p.identity,
    sid: p.sid,
    permission: p.permission
      ? {
          canSubscribe: p.permission.canSubscribe,
          canPublish: p.permission.canPublish,
          canPublishSources: p.permission.canPublishSources.map(fromTrackSource),
          canPublishData: p.permission.canPublishData,
        }
      : null,
    seated: p.attributes[SEAT_ATTRIBUTE] === p.sid,
    tracks: p.tracks.map(toLivekitTrack),
  };
}

export function toLivekitTrack(t: TrackInfo): LivekitTrack {
  return {
    sid: t.sid,
    kind: fromTrackType(t.type),
    source: fromTrackSource(t.source),
    muted: t.muted,
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    livekit: Livekit;
  }
}

export function createLivekit(config: LivekitConfig): Livekit {
  const rooms = new RoomServiceClient(config.httpUrl, config.apiKey, config.apiSecret, {
    requestTimeout: REQUEST_TIMEOUT_SECONDS,
  });
  return {
    async mintToken(ticket) {
      const identity = mediaIdentity(ticket.participantId, ticket.admissionNumber);
      const token = new AccessToken(config.apiKey, config.apiSecret, {
        identity,
        ttl: TOKEN_TTL_SECONDS,
      });
      token.addGrant(toVideoGrant(roomName(ticket.meetingId)));
      return { url: config.url, token: await token.toJwt(), identity };
    },
    async seat(meetingId, identity, sid, grants) {
      const room = roomName(meetingId);
      const current = await orNull(() => rooms.getParticipant(room, identity));
      if (current?.sid !== sid) return false;
      const updated = await orNull(() =>
        rooms.updateParticipant(room, identity, {
          permission: toParticipantPermission(grants),
          attributes: { [SEAT_ATTRIBUTE]: sid },
        }),
      );
      // The identity may have been taken over between the two calls: then nobody is seated.
      if (updated && updated.sid !== sid) {
        await unlessAbsent(() =>
          rooms.updateParticipant(room, identity, { permission: toParticipantPermission(null) }),
        );
        return false;
      }
      return updated !== null;
    },
    async getParticipant(meetingId, identity) {
      const p = await orNull(() => rooms.getParticipant(roomName(meetingId), identity));
      return p ? toLivekitParticipant(p) : null;
    },
    updatePermissions(meetingId, identity, grants) {
      return unlessAbsent(() =>
        rooms.updateParticipant(roomName(meetingId), identity, {
          permission: toParticipantPermission(grants),
        }),
      );
    },
    removeParticipant(meetingId, identity) {
      return unlessAbsent(() => rooms.removeParticipant(roomName(meetingId), identity));
    },
    async listParticipants(meetingId) {
      const list = await rooms.listParticipants(roomName(meetingId));
      return list.map(toLivekitParticipant);
    },
    async ping() {
      try {
        await rooms.listRooms();
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** Runs a call on one participant; null when LiveKit says it does not exist. */
async function orNull<T>(call: () => Promise<T>): Promise<T | null> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof TwirpError && err.status === 404) return null;
    throw err;
  }
}

/** Runs a call on one participant; false when LiveKit says it does not exist. */
async function unlessAbsent(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (err) {
    if (err instanceof TwirpError && err.status === 404) return false;
    throw err;
  }
}

export interface LivekitPluginOptions {
  readonly config: LivekitConfig;
}

export default fp<LivekitPluginOptions>(
  async (app, opts) => {
    app.decorate('livekit', createLivekit(opts.config));
  },
  { name: 'livekit' },
);
