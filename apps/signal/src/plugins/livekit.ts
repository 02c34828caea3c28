import fp from 'fastify-plugin';
import { AccessToken, RoomServiceClient, TwirpError } from 'livekit-server-sdk';
import { mediaIdentity, type MediaGrants, type MediaSource } from '@polyphony/domain';
import type { MediaAccess } from '@polyphony/protocol';
import type { LivekitConfig } from '../config.ts';
import {
  fromTrackSource,
  roomName,
  toParticipantPermission,
  toVideoGrant,
  type ReportedPermission,
} from './livekit-grants.ts';

/** Media tokens are short-lived: a client asks the live channel for a fresh one on reconnect. */
export const TOKEN_TTL_SECONDS = 10 * 60;
const REQUEST_TIMEOUT_SECONDS = 3;

export interface MediaTicket {
  readonly meetingId: string;
  readonly participantId: string;
  readonly admissionNumber: number;
  readonly grants: MediaGrants;
}

/** Everything the service does with LiveKit; the only code that talks to it. */
export interface Livekit {
  /** Signs a join token for one room with exactly the policy's grants. No display name is sent. */
  mintToken(ticket: MediaTicket): Promise<MediaAccess>;
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

/** A participant LiveKit reports in a room. */
export interface LivekitParticipant {
  readonly identity: string;
  readonly permission: ReportedPermission | null;
  /** Sources of the published tracks (null: a source we never grant). */
  readonly tracks: readonly (MediaSource | null)[];
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
      token.addGrant(toVideoGrant(roomName(ticket.meetingId), ticket.grants));
      return { url: config.url, token: await token.toJwt(), identity };
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
      return list.map((p) => ({
        identity: p.identity,
        permission: p.permission
          ? {
              canSubscribe: p.permission.canSubscribe,
              canPublish: p.permission.canPublish,
              canPublishSources: p.permission.canPublishSources.map(fromTrackSource),
              canPublishData: p.permission.canPublishData,
            }
          : null,
        tracks: p.tracks.map((t) => fromTrackSource(t.source)),
      }));
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
