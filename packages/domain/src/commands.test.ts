import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from './command-rules.ts';
import { COMMAND_AUTHORITY } from './commands.ts';

describe('command authority', () => {
  it('sends exactly the in-meeting commands through authorise', () => {
    const participant = Object.entries(COMMAND_AUTHORITY)
      .filter(([, authority]) => authority === 'participant')
      .map(([type]) => type);
    expect(participant.sort()).toEqual([...COMMAND_NAMES].sort());
  });

  it('leaves opening, invites, pre-approvals and link revocation to staff authorisation', () => {
    const staff = Object.keys(COMMAND_AUTHORITY).filter(
      (t) => COMMAND_AUTHORITY[t as keyof typeof COMMAND_AUTHORITY] === 'staff',
    );
    expect(staff).toEqual(['open_meeting', 'invite', 'record_pre_approval', 'revoke_link']);
    expect(COMMAND_AUTHORITY.join).toBe('knock');
  });
});
