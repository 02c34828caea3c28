import { describe, expect, it } from 'vitest';
import { MEETING_ROLES, isReflectingTeam } from './roles.ts';
import { VOICE_LINE, voicesView, type VoicePerson } from './voices.ts';

const people: VoicePerson[] = [
  { participantId: 'lee', role: 'facilitator' },
  { participantId: 'ana', role: 'cofacilitator' },
  { participantId: 'sam', role: 'centre' },
  { participantId: 'dad', role: 'network' },
  { participantId: 'obs', role: 'observer' },
];

describe('voicesView', () => {
  it('nobody has spoken: all shares zero, everyone who may speak is not yet heard', () => {
    const v = voicesView(people, [], 1000);
    expect(v.people.every((p) => p.speakingMs === 0 && p.share === 0)).toBe(true);
    expect(v.networkShare).toBe(0);
    expect(v.teamShare).toBe(0);
    expect(v.notYetHeard).toEqual(['lee', 'ana', 'sam', 'dad']);
  });

  it('credits each interval to whoever was speaking, the last one until now', () => {
    const v = voicesView(
      people,
      [
        { at: 0, speakers: ['lee'] },
        { at: 3000, speakers: ['sam'] },
        { at: 4000, speakers: [] },
        { at: 5000, speakers: ['sam'] },
      ],
      6000,
    );
    const byId = Object.fromEntries(v.people.map((p) => [p.participantId, p.speakingMs]));
    expect(byId).toEqual({ lee: 3000, ana: 0, sam: 2000, dad: 0, obs: 0 });
    expect(v.teamShare).toBeCloseTo(0.6);
    expect(v.networkShare).toBeCloseTo(0.4);
    expect(v.notYetHeard).toEqual(['ana', 'dad']);
  });

  it('overlapping speakers each get the whole interval; shares still sum to one', () => {
    const v = voicesView(people, [{ at: 0, speakers: ['lee', 'dad', 'dad'] }], 1000);
    expect(v.people.find((p) => p.participantId === 'dad')?.speakingMs).toBe(1000);
    expect(v.people.reduce((s, p) => s + p.share, 0)).toBeCloseTo(1);
    expect(v.networkShare + v.teamShare).toBeCloseTo(1);
    expect(v.interpreterShare).toBe(0);
  });

  it('ignores changes out of time order and people who are not on the roster', () => {
    const v = voicesView(
      people,
      [
        { at: 1000, speakers: ['ana', 'stranger'] },
        { at: 500, speakers: ['dad'] },
        { at: 2000, speakers: [] },
      ],
      1500,
    );
    expect(v.people.find((p) => p.participantId === 'ana')?.speakingMs).toBe(1000);
    expect(v.people.find((p) => p.participantId === 'dad')?.speakingMs).toBe(0);
    expect(v.notYetHeard).toContain('dad');
  });

  it('a clock reading before the last change adds nothing', () => {
    const v = voicesView(people, [{ at: 5000, speakers: ['lee'] }], 4000);
    expect(v.people.find((p) => p.participantId === 'lee')?.speakingMs).toBe(0);
  });

  it('an observer who appears as a speaker is counted but never listed as not yet heard', () => {
    const v = voicesView(people, [{ at: 0, speakers: ['obs'] }], 100);
    expect(v.people.find((p) => p.participantId === 'obs')?.share).toBe(1);
    expect(v.networkShare).toBe(1);
    expect(v.notYetHeard).not.toContain('obs');
  });

  it('an interpreter is their own line: neither the team nor the network', () => {
    const withInterpreter: VoicePerson[] = [
      ...people,
      { participantId: 'int', role: 'interpreter' },
    ];
    const silent = voicesView(withInterpreter, [], 100);
    expect(silent.interpreterShare).toBe(0);
    expect(silent.notYetHeard).not.toContain('int');
    const v = voicesView(
      withInterpreter,
      [
        { at: 0, speakers: ['lee'] },
        { at: 1000, speakers: ['int'] },
        { at: 3000, speakers: ['dad'] },
      ],
      4000,
    );
    expect(v.teamShare).toBeCloseTo(0.25);
    expect(v.interpreterShare).toBeCloseTo(0.5);
    expect(v.networkShare).toBeCloseTo(0.25);
    expect(v.networkShare + v.teamShare + v.interpreterShare).toBeCloseTo(1);
  });

  it('every role has a line, and the team line is the reflecting team', () => {
    for (const role of MEETING_ROLES) {
      expect(VOICE_LINE[role] === 'team', role).toBe(isReflectingTeam(role));
    }
    expect(MEETING_ROLES.filter((r) => VOICE_LINE[r] === 'interpreter')).toEqual(['interpreter']);
  });
});
