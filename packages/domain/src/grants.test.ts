import { describe, expect, it } from 'vitest';
import {
  CAMERA_FOLLOWS_SETTING,
  MEDIA_SOURCES,
  PUBLISH_SOURCES,
  mayPublish,
  mediaGrants,
  type MediaSource,
} from './grants.ts';
import { DEFAULT_MEETING_SETTINGS, MODES, type Mode } from './modes.ts';
import { PARTICIPANT_STATES, type ParticipantState } from './participant-state.ts';
import { MEETING_ROLES, isReflectingTeam, type MeetingRole } from './roles.ts';

type Expected = readonly MediaSource[] | null;
const ALL: Expected = ['camera', 'microphone', 'screen_share', 'screen_share_audio'];
const TALK: Expected = ['camera', 'microphone'];
const CAM: Expected = ['camera'];
const NO = null;

/**
 * The permission policy written out for every (role, mode, state), default settings. Only an
 * admitted participant has grants; `null` means no token and no LiveKit presence at all.
 */
const TABLE: Record<MeetingRole, Record<Mode, Record<ParticipantState, Expected>>> = {
  facilitator: {
    dialogue: { invited: NO, waiting: NO, admitted: ALL, stepped_out: NO, declined: NO, left: NO },
    reflecting: {
      invited: NO,
      waiting: NO,
      admitted: TALK,
      stepped_out: NO,
      declined: NO,
      left: NO,
    },
  },
  cofacilitator: {
    dialogue: { invited: NO, waiting: NO, admitted: ALL, stepped_out: NO, declined: NO, left: NO },
    reflecting: {
      invited: NO,
      waiting: NO,
      admitted: TALK,
      stepped_out: NO,
      declined: NO,
      left: NO,
    },
  },
  team: {
    dialogue: { invited: NO, waiting: NO, admitted: ALL, stepped_out: NO, declined: NO, left: NO },
    reflecting: {
      invited: NO,
      waiting: NO,
      admitted: TALK,
      stepped_out: NO,
      declined: NO,
      left: NO,
    },
  },
  centre: {
    dialogue: { invited: NO, waiting: NO, admitted: TALK, stepped_out: NO, declined: NO, left: NO },
    reflecting: {
      invited: NO,
      waiting: NO,
      admitted: CAM,
      stepped_out: NO,
      declined: NO,
      left: NO,
    },
  },
  network: {
    dialogue: { invited: NO, waiting: NO, admitted: TALK, stepped_out: NO, declined: NO, left: NO },
    reflecting: {
      invited: NO,
      waiting: NO,
      admitted: CAM,
      stepped_out: NO,
      declined: NO,
      left: NO,
    },
  },
  observer: {
    dialogue: { invited: NO, waiting: NO, admitted: CAM, stepped_out: NO, declined: NO, left: NO },
    reflecting: {
      invited: NO,
      waiting: NO,
      admitted: CAM,
      stepped_out: NO,
      declined: NO,
      left: NO,
    },
  },
  interpreter: {
    dialogue: { invited: NO, waiting: NO, admitted: TALK, stepped_out: NO, declined: NO, left: NO },
    reflecting: {
      invited: NO,
      waiting: NO,
      admitted: TALK,
      stepped_out: NO,
      declined: NO,
      left: NO,
    },
  },
};

const combinations = MEETING_ROLES.flatMap((role) =>
  MODES.flatMap((mode) => PARTICIPANT_STATES.map((state) => ({ role, mode, state }))),
);

describe('mediaGrants: the permission table', () => {
  it('has a row for every (role, mode, state) and nothing else', () => {
    const missing = combinations.filter(
      ({ role, mode, state }) => TABLE[role]?.[mode]?.[state] === undefined,
    );
    expect(missing).toEqual([]);
    const rows = Object.values(TABLE).flatMap((m) => Object.values(m).flatMap(Object.values));
    expect(rows).toHaveLength(MEETING_ROLES.length * MODES.length * PARTICIPANT_STATES.length);
  });

  it.each(combinations)('$role in $mode while $state', ({ role, mode, state }) => {
    const expected = TABLE[role][mode][state];
    const grants = mediaGrants(role, mode, state, DEFAULT_MEETING_SETTINGS);
    if (expected === null) {
      expect(grants).toBeNull();
      return;
    }
    expect(grants).toEqual({
      canSubscribe: true,
      canPublish: expected.length > 0,
      canPublishSources: expected,
      canPublishData: false,
      canUpdateOwnMetadata: false,
    });
  });

  it('agrees with PUBLISH_SOURCES for admitted participants', () => {
    for (const role of MEETING_ROLES) {
      for (const mode of MODES) {
        expect(TABLE[role][mode].admitted).toEqual(PUBLISH_SOURCES[mode][role]);
      }
    }
  });

  it('gives a microphone in reflecting mode only to the reflecting team and the interpreter', () => {
    for (const role of MEETING_ROLES) {
      for (const settings of [
        DEFAULT_MEETING_SETTINGS,
        { ...DEFAULT_MEETING_SETTINGS, networkCamerasInReflection: false },
      ]) {
        const grants = mediaGrants(role, 'reflecting', 'admitted', settings);
        expect(grants?.canPublishSources.includes('microphone'), role).toBe(
          isReflectingTeam(role) || role === 'interpreter',
        );
      }
    }
  });

  it('uses only known sources and never grants hidden, recorder or admin rights', () => {
    for (const { role, mode, state } of combinations) {
      const grants = mediaGrants(role, mode, state, DEFAULT_MEETING_SETTINGS);
      if (grants === null) continue;
      expect(Object.keys(grants).sort()).toEqual([
        'canPublish',
        'canPublishData',
        'canPublishSources',
        'canSubscribe',
        'canUpdateOwnMetadata',
      ]);
      for (const source of grants.canPublishSources) expect(MEDIA_SOURCES).toContain(source);
    }
  });
});

describe('mediaGrants: network cameras during reflections', () => {
  const camerasOff = { ...DEFAULT_MEETING_SETTINGS, networkCamerasInReflection: false };

  it.each(MEETING_ROLES)('%s, reflecting, cameras setting off', (role) => {
    const grants = mediaGrants(role, 'reflecting', 'admitted', camerasOff);
    const expected = CAMERA_FOLLOWS_SETTING[role] ? [] : PUBLISH_SOURCES.reflecting[role];
    expect(grants?.canPublishSources).toEqual(expected);
    expect(grants?.canPublish).toBe(expected.length > 0);
    expect(grants?.canSubscribe).toBe(true);
  });

  it('applies only to the network side, never to the team', () => {
    expect(MEETING_ROLES.filter((r) => CAMERA_FOLLOWS_SETTING[r])).toEqual(['centre', 'network']);
  });

  it.each(MEETING_ROLES)('%s in dialogue is unaffected by the setting', (role) => {
    const grants = mediaGrants(role, 'dialogue', 'admitted', camerasOff);
    expect(grants?.canPublishSources).toEqual(PUBLISH_SOURCES.dialogue[role]);
  });
});

describe('mayPublish: what a page offers', () => {
  // Screen share (and its sound) only for the reflecting team, only in dialogue.
  const SCREEN: Record<Mode, Record<MeetingRole, boolean>> = {
    dialogue: {
      facilitator: true,
      cofacilitator: true,
      team: true,
      centre: false,
      network: false,
      observer: false,
      interpreter: false,
    },
    reflecting: {
      facilitator: false,
      cofacilitator: false,
      team: false,
      centre: false,
      network: false,
      observer: false,
      interpreter: false,
    },
  };

  it.each(MODES.flatMap((mode) => MEETING_ROLES.map((role) => [mode, role] as const)))(
    'screen share in %s for %s follows the table',
    (mode, role) => {
      expect(mayPublish(role, mode, 'screen_share')).toBe(SCREEN[mode][role]);
      expect(mayPublish(role, mode, 'screen_share_audio')).toBe(SCREEN[mode][role]);
    },
  );

  it('agrees with the grants of an admitted participant for every source', () => {
    for (const mode of MODES)
      for (const role of MEETING_ROLES)
        for (const source of MEDIA_SOURCES)
          expect(mayPublish(role, mode, source)).toBe(
            mediaGrants(
              role,
              mode,
              'admitted',
              DEFAULT_MEETING_SETTINGS,
            )!.canPublishSources.includes(source),
          );
  });
});
