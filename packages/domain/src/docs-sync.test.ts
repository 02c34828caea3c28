// Keeps docs/domain.md, the page clinicians review, in step with the code. Tests may read
// files; the domain source never does.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ADMISSION_RULE, type AdmissionRule } from './admission-rules.ts';
import { COMMAND_NAMES, COMMAND_ROLES, MAY_TURN_AWAY } from './command-rules.ts';
import { maySeePlanOf } from './cutoff-plan.ts';
import { PUBLISH_SOURCES, type MediaSource } from './grants.ts';
import { linkOpening, type LinkOpening } from './devices.ts';
import { knockWaitMs } from './knock-policy.ts';
import { MEETING_EVENT_TYPES } from './meeting-events.ts';
import { MODES } from './modes.ts';
import type { Participant } from './meeting-state.ts';
import { MEETING_ROLES, type MeetingRole } from './roles.ts';
import { PARTICIPANT_STATES, type ParticipantState } from './participant-state.ts';

const DOC = readFileSync(new URL('../../../docs/domain.md', import.meta.url), 'utf8');

/** The first markdown table after the heading `heading`, as rows of trimmed cells. */
function tableAfter(heading: string): string[][] {
  const lines = DOC.split('\n');
  const start = lines.findIndex((l) => /^#+ /.test(l) && l.replace(/^#+ /, '') === heading);
  if (start < 0) throw new Error(`docs/domain.md has no heading "${heading}"`);
  const rest = lines.slice(start + 1);
  const first = rest.findIndex((l) => l.startsWith('|'));
  const end = rest.findIndex((l, i) => i > first && !l.startsWith('|'));
  return rest
    .slice(first, end < 0 ? undefined : end)
    .filter((l) => !/^\|[\s:|-]+\|$/.test(l))
    .map((l) =>
      l
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim()),
    );
}

/** A table keyed by its first column (the backticked name in it, if any). */
function keyed(rows: string[][]): { header: string[]; rows: Map<string, string[]> } {
  const [header = [], ...body] = rows;
  const key = (cell: string) => /`([^`]+)`/.exec(cell)?.[1] ?? cell;
  return {
    header: header.map(key),
    rows: new Map(body.map(([first = '', ...cells]) => [key(first), cells])),
  };
}

const SOURCE_WORDS: Record<string, MediaSource> = {
  camera: 'camera',
  microphone: 'microphone',
  'screen share': 'screen_share',
  'screen share sound': 'screen_share_audio',
};

function sources(cell: string): MediaSource[] {
  if (cell === 'nothing') return [];
  return cell.split(',').map((w) => {
    const source = SOURCE_WORDS[w.trim()];
    if (source === undefined) throw new Error(`unknown source "${w.trim()}" in docs/domain.md`);
    return source;
  });
}

const yes = (cell: string | undefined) => cell === 'yes';

function docPerson(role: MeetingRole, state: ParticipantState): Participant {
  return {
    id: 'p',
    role,
    state,
    companions: [],
    admissionNumber: 1,
    facilitatorKey: null,
    consent: null,
    declines: 0,
    lastDeclinedAt: null,
    linkRevoked: false,
    device: null,
    otherDevice: null,
    connection: 'connected',
    lostAt: null,
  };
}

describe('docs/domain.md matches the code', () => {
  it('permission table: what each role can send in each mode', () => {
    const { header, rows } = keyed(tableAfter('What each role can send'));
    expect(header.slice(1)).toEqual([...MODES]);
    expect([...rows.keys()]).toEqual([...MEETING_ROLES]);
    for (const role of MEETING_ROLES) {
      MODES.forEach((mode, i) => {
        const documented = sources(rows.get(role)?.[i] ?? '').sort();
        expect(documented, `${role} in ${mode}`).toEqual([...PUBLISH_SOURCES[mode][role]].sort());
      });
    }
  });

  it('who may do what', () => {
    const { header, rows } = keyed(tableAfter('Who may do what'));
    expect(header.slice(1)).toEqual([...MEETING_ROLES]);
    expect([...rows.keys()].sort()).toEqual([...COMMAND_NAMES].sort());
    for (const command of COMMAND_NAMES) {
      MEETING_ROLES.forEach((role, i) => {
        expect(yes(rows.get(command)?.[i]), `${role} ${command}`).toBe(
          COMMAND_ROLES[command][role],
        );
      });
    }
  });

  it('who sees a cut-off plan', () => {
    const { header, rows } = keyed(tableAfter('"If we get cut off": a plan per device'));
    expect(header.slice(1)).toEqual([...MEETING_ROLES]);
    const viewer = (role: MeetingRole, state: ParticipantState, id = 'viewer') => ({
      ...docPerson(role, state),
      id,
    });
    const cases: Record<string, (role: MeetingRole) => boolean> = {
      'their own, wherever they are': (role) =>
        PARTICIPANT_STATES.every((s) => maySeePlanOf(viewer(role, s, 'me'), 'me')),
      "someone else's, from the room": (role) => maySeePlanOf(viewer(role, 'admitted'), 'x'),
      "someone else's, from the waiting room": (role) => maySeePlanOf(viewer(role, 'waiting'), 'x'),
    };
    expect([...rows.keys()]).toEqual(Object.keys(cases));
    for (const [row, sees] of Object.entries(cases)) {
      MEETING_ROLES.forEach((role, i) => {
        expect(yes(rows.get(row)?.[i]), `${row}: ${role}`).toBe(sees(role));
      });
    }
  });

  it('who must agree before someone is let in', () => {
    const WORDS: Record<string, AdmissionRule> = {
      'nobody: core-team staff join directly': 'core_team',
      'a facilitator': 'facilitator',
      'a facilitator and the centre person': 'two_keys',
    };
    const { rows } = keyed(tableAfter('Letting people in: the two keys'));
    expect([...rows.keys()]).toEqual([...MEETING_ROLES]);
    for (const role of MEETING_ROLES) {
      expect(WORDS[rows.get(role)?.[0] ?? ''], role).toBe(ADMISSION_RULE[role]);
    }
  });

  it('who may turn whom away', () => {
    const { header, rows } = keyed(tableAfter('Asking someone to leave'));
    expect(header.slice(1)).toEqual([...MEETING_ROLES]);
    expect([...rows.keys()]).toEqual([...MEETING_ROLES]);
    for (const actor of MEETING_ROLES) {
      MEETING_ROLES.forEach((target, i) => {
        expect(yes(rows.get(actor)?.[i]), `${actor} → ${target}`).toBe(
          MAY_TURN_AWAY[actor][target],
        );
      });
    }
  });

  it('knock waits after each "not now"', () => {
    const rows = tableAfter('Saying "not now" and knocking again').slice(1);
    expect(rows.length).toBeGreaterThan(0);
    for (const [nth = '', wait = ''] of rows) {
      const declines = Number.parseInt(nth, 10);
      const minutes = Number.parseInt(wait, 10);
      expect(knockWaitMs(declines), `after ${nth}`).toBe(minutes * 60_000);
      if (nth.includes('later')) expect(knockWaitMs(declines + 100)).toBe(minutes * 60_000);
    }
  });

  it('what opening the link on a device does', () => {
    const WORDS: Record<string, LinkOpening> = {
      'nothing changes': 'stay',
      knocks: 'knock',
      'knocks, asked afresh': 'knock_from_another_device',
      'knocks beside the seat': 'knock_beside_seat',
    };
    const { rows } = keyed(tableAfter('Devices'));
    expect([...rows.keys()]).toEqual([...PARTICIPANT_STATES]);
    for (const state of PARTICIPANT_STATES) {
      const [same = '', other = ''] = rows.get(state) ?? [];
      const p = {
        id: 'p',
        role: 'network',
        state,
        companions: [],
        admissionNumber: 1,
        facilitatorKey: null,
        consent: null,
        declines: 0,
        lastDeclinedAt: null,
        linkRevoked: false,
        device: 'A',
        otherDevice: null,
        connection: 'connecting',
        lostAt: null,
      } as const;
      expect(linkOpening(p, 'A'), `${state}, same device`).toBe(WORDS[same]);
      expect(linkOpening(p, 'B'), `${state}, another device`).toBe(WORDS[other]);
    }
  });

  it('the meeting log lists every event type', () => {
    const { rows } = keyed(tableAfter('The meeting log'));
    expect([...rows.keys()].sort()).toEqual([...MEETING_EVENT_TYPES].sort());
  });
});
