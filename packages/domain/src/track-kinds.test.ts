import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decide } from './decide.ts';
import { MEDIA_SOURCES, mediaGrants, type MediaSource } from './grants.ts';
import { isIdentityCurrent, mediaIdentity } from './media-identity.ts';
import { SERVER_ACTOR } from './meeting-events.ts';
import { DEFAULT_MEETING_SETTINGS, MODES, type Mode } from './modes.ts';
import { MEETING_ROLES, isReflectingTeam, type MeetingRole } from './roles.ts';
import { accepted, fullRoom, refused, run, T0, who } from './testing/meeting-fixture.ts';
import {
  SOURCE_KIND,
  TRACK_ACTION,
  TRACK_KINDS,
  isAudible,
  judgeTrack,
  removalReason,
  type TrackKind,
  type TrackVerdict,
} from './track-kinds.ts';

type Source = MediaSource | 'unknown';
const SOURCES: readonly Source[] = [...MEDIA_SOURCES, 'unknown'];
const src = (s: Source): MediaSource | null => (s === 'unknown' ? null : s);

const A = 'allowed';
const G = 'not_granted';
const K = 'kind_mismatch';
const U = 'unknown_source';
type Row = Record<TrackKind, Record<Source, TrackVerdict>>;

const TEAM_DIALOGUE: Row = {
  audio: { camera: K, microphone: A, screen_share: K, screen_share_audio: A, unknown: U },
  video: { camera: A, microphone: K, screen_share: A, screen_share_audio: K, unknown: U },
};
const TALK: Row = {
  audio: { camera: K, microphone: A, screen_share: K, screen_share_audio: G, unknown: U },
  video: { camera: A, microphone: K, screen_share: G, screen_share_audio: K, unknown: U },
};
const CAMERA_ONLY: Row = {
  audio: { camera: K, microphone: G, screen_share: K, screen_share_audio: G, unknown: U },
  video: { camera: A, microphone: K, screen_share: G, screen_share_audio: K, unknown: U },
};

/**
 * Every kind × source × role × mode, written out (default settings, admitted). A missing
 * combination fails the type check; a changed rule fails a row.
 */
const TABLE: Record<Mode, Record<MeetingRole, Row>> = {
  dialogue: {
    facilitator: TEAM_DIALOGUE,
    cofacilitator: TEAM_DIALOGUE,
    team: TEAM_DIALOGUE,
    centre: TALK,
    network: TALK,
    observer: CAMERA_ONLY,
    interpreter: TALK,
  },
  reflecting: {
    facilitator: TALK,
    cofacilitator: TALK,
    team: TALK,
    centre: CAMERA_ONLY,
    network: CAMERA_ONLY,
    observer: CAMERA_ONLY,
    interpreter: TALK,
  },
};

describe('judging a published track by its kind', () => {
  for (const mode of MODES) {
    for (const role of MEETING_ROLES) {
      for (const kind of TRACK_KINDS) {
        for (const source of SOURCES) {
          it(`${mode} · ${role} · ${kind} as ${source} → ${TABLE[mode][role][kind][source]}`, () => {
            const grants = mediaGrants(role, mode, 'admitted', DEFAULT_MEETING_SETTINGS);
            expect(judgeTrack(kind, src(source), grants)).toBe(TABLE[mode][role][kind][source]);
          });
        }
      }
    }
  }

  it('covers every combination the types allow', () => {
    const rows = MODES.flatMap((m) =>
      MEETING_ROLES.flatMap((r) =>
        TRACK_KINDS.flatMap((k) => SOURCES.map((s) => TABLE[m][r][k][s])),
      ),
    );
    expect(rows).toHaveLength(MODES.length * MEETING_ROLES.length * 2 * SOURCES.length);
    expect(rows.every((v) => v in TRACK_ACTION)).toBe(true);
  });

  it('gives nothing to someone without grants: an honest track is muted, a forged one is not', () => {
    expect(judgeTrack('audio', 'microphone', null)).toBe('not_granted');
    expect(judgeTrack('audio', 'camera', null)).toBe('kind_mismatch');
  });

  it('each source carries exactly one kind', () => {
    expect(SOURCE_KIND).toEqual({
      camera: 'video',
      microphone: 'audio',
      screen_share: 'video',
      screen_share_audio: 'audio',
    });
  });

  it('costs a forger their seat and leaves an honest straggler to the permissions', () => {
    expect(TRACK_ACTION).toEqual({
      allowed: 'keep',
      not_granted: 'by_permissions',
      kind_mismatch: 'remove_participant',
      unknown_source: 'remove_participant',
    });
    expect(removalReason('audio')).toBe('sound_under_picture_label');
    expect(removalReason('video')).toBe('forged_track');
  });
});

const NETWORK_SIDE: readonly MeetingRole[] = ['centre', 'network', 'observer'];

describe('properties', () => {
  it('no audio track with a non-microphone source is ever allowed for the network side', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...NETWORK_SIDE),
        fc.constantFrom(...MODES),
        fc.constantFrom(...SOURCES.filter((s) => s !== 'microphone')),
        fc.boolean(),
        (role, mode, source, cameras) => {
          const grants = mediaGrants(role, mode, 'admitted', {
            ...DEFAULT_MEETING_SETTINGS,
            networkCamerasInReflection: cameras,
          });
          expect(judgeTrack('audio', src(source), grants)).not.toBe('allowed');
          expect(isAudible('audio', src(source), role, mode)).toBe(false);
        },
      ),
    );
  });

  it('in a reflection only the team and the interpreter are audible, whatever a track claims', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MEETING_ROLES),
        fc.constantFrom(...TRACK_KINDS),
        fc.constantFrom(...SOURCES),
        (role, kind, source) => {
          if (isAudible(kind, src(source), role, 'reflecting')) {
            expect(isReflectingTeam(role) || role === 'interpreter').toBe(true);
            expect(kind).toBe('audio');
          }
        },
      ),
    );
  });

  it('a video element never counts as a sound source', () => {
    for (const role of MEETING_ROLES) {
      for (const mode of MODES) {
        for (const source of SOURCES) {
          expect(isAudible('video', src(source), role, mode)).toBe(false);
        }
      }
    }
  });

  it('what is audible is exactly what is allowed as audio', () => {
    for (const role of MEETING_ROLES) {
      for (const mode of MODES) {
        const grants = mediaGrants(role, mode, 'admitted', DEFAULT_MEETING_SETTINGS);
        for (const source of SOURCES) {
          expect(isAudible('audio', src(source), role, mode)).toBe(
            judgeTrack('audio', src(source), grants) === 'allowed',
          );
        }
      }
    }
  });
});

describe('ejecting for a forged track', () => {
  it('takes the person out like a removal, with the reason, and spends the admission', () => {
    const room = fullRoom();
    const before = who(room.state, 'n');
    const decision = accepted(
      decide(
        room.state,
        {
          type: 'eject',
          actorId: SERVER_ACTOR,
          targetId: 'n',
          reason: 'sound_under_picture_label',
        },
        T0 + 60_000,
      ),
    );
    expect(decision.events).toEqual([
      {
        type: 'participant.removed',
        at: T0 + 60_000,
        participantId: 'n',
        by: SERVER_ACTOR,
        admissionNumber: before.admissionNumber,
        reason: 'sound_under_picture_label',
      },
    ]);
    expect(who(decision.state, 'n').state).toBe('stepped_out');
    expect(isIdentityCurrent(decision.state, mediaIdentity('n', before.admissionNumber))).toBe(
      false,
    );
  });

  it('leaves someone not in the room as they are, and refuses an unknown target', () => {
    const room = run([{ type: 'leave', actorId: 'n' }], fullRoom());
    const decision = accepted(
      decide(
        room.state,
        { type: 'eject', actorId: SERVER_ACTOR, targetId: 'n', reason: 'forged_track' },
        T0 + 60_000,
      ),
    );
    expect(decision.events).toEqual([]);
    refused(
      decide(
        room.state,
        { type: 'eject', actorId: SERVER_ACTOR, targetId: 'nobody', reason: 'forged_track' },
        T0,
      ),
      'TARGET_NOT_FOUND',
    );
  });
});

describe('a displaced media seat', () => {
  it('is noted for someone in the room, leaving their seat and admission as they were', () => {
    const room = fullRoom();
    const decision = accepted(
      decide(room.state, { type: 'note_displaced', actorId: SERVER_ACTOR, targetId: 'n' }, T0 + 1),
    );
    expect(decision.events).toEqual([{ type: 'media.displaced', at: T0 + 1, participantId: 'n' }]);
    expect(decision.state).toEqual(room.state);
  });

  it('is not noted for someone outside the room, nor for an unknown participant', () => {
    const room = run([{ type: 'leave', actorId: 'n' }], fullRoom());
    const note = (targetId: string) =>
      decide(room.state, { type: 'note_displaced', actorId: SERVER_ACTOR, targetId }, T0 + 1);
    expect(accepted(note('n')).events).toEqual([]);
    refused(note('nobody'), 'TARGET_NOT_FOUND');
  });
});
