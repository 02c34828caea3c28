import type { CreatedInvite } from '@polyphony/protocol';
import { describe, expect, it } from 'vitest';
import { keepFreshLinks, takeFreshLinks } from './fresh-links.ts';

const link = (url: string) => ({ url }) as unknown as CreatedInvite;

describe('fresh links', () => {
  it('hands the links over once, in the order they were made', () => {
    keepFreshLinks('m1', [link('a'), link('b')]);
    keepFreshLinks('m1', [link('c')]);
    keepFreshLinks('m2', [link('x')]);
    expect(takeFreshLinks('m1').map((l) => l.url)).toEqual(['a', 'b', 'c']);
    expect(takeFreshLinks('m1')).toEqual([]);
    expect(takeFreshLinks('m2').map((l) => l.url)).toEqual(['x']);
  });
});
