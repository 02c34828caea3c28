import type { CreatedInvite, Invite } from '@polyphony/protocol';
import { describe, expect, it } from 'vitest';
import { keepFreshLinks, stillFresh, takeFreshLinks } from './fresh-links.ts';

const link = (url: string) => ({ url }) as unknown as CreatedInvite;

const NOW = Date.UTC(2026, 11, 3, 8, 0, 0);
const invite = (id: string, over: Partial<Invite> = {}): Invite => ({
  id,
  memberId: null,
  staffId: null,
  name: id,
  role: 'network',
  language: null,
  expiresAt: new Date(NOW + 86_400_000).toISOString(),
  revokedAt: null,
  used: false,
  createdAt: new Date(NOW - 60_000).toISOString(),
  ...over,
});
const created = (i: Invite): CreatedInvite => ({ invite: i, token: `t-${i.id}`, url: `u-${i.id}` });

describe('fresh links', () => {
  it('hands the links over once, in the order they were made', () => {
    keepFreshLinks('m1', [link('a'), link('b')]);
    keepFreshLinks('m1', [link('c')]);
    keepFreshLinks('m2', [link('x')]);
    expect(takeFreshLinks('m1').map((l) => l.url)).toEqual(['a', 'b', 'c']);
    expect(takeFreshLinks('m1')).toEqual([]);
    expect(takeFreshLinks('m2').map((l) => l.url)).toEqual(['x']);
  });

  it.each([
    { case: 'usable now', now: invite('a'), shown: true },
    { case: 'not in the list yet (the page is reloading it)', now: undefined, shown: true },
    {
      case: 'revoked since',
      now: invite('a', { revokedAt: new Date(NOW).toISOString() }),
      shown: false,
    },
    {
      case: 'expired since',
      now: invite('a', { expiresAt: new Date(NOW).toISOString() }),
      shown: false,
    },
  ])('a link made on this page and $case is shown: $shown', ({ now, shown }) => {
    const made = created(invite('a'));
    const invites = now ? [invite('b'), now] : [invite('b')];
    expect(stillFresh([made], invites, NOW)).toEqual(shown ? [made] : []);
  });
});
