import { describe, expect, it } from 'vitest';
import { memoryStorage } from '$lib/testing/memory-storage.ts';
import { forgetLinkToken, keepLinkToken, keptLinkToken } from './link-token.ts';

describe('the link token kept for the tab', () => {
  it('is kept, read back and forgotten', () => {
    const storage = memoryStorage();
    expect(keptLinkToken(storage)).toBeNull();
    keepLinkToken('tok', storage);
    expect(keptLinkToken(storage)).toBe('tok');
    forgetLinkToken(storage);
    expect(keptLinkToken(storage)).toBeNull();
  });
});
