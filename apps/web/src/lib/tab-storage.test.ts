import { describe, expect, it } from 'vitest';
import { readTab, removeFromTab, writeTab } from './tab-storage.ts';
import { brokenStorage, memoryStorage } from './testing/memory-storage.ts';

describe('what a tab keeps', () => {
  it('is written, read back and removed', () => {
    const storage = memoryStorage();
    expect(readTab('k', storage)).toBeNull();
    writeTab('k', 'v', storage);
    expect(readTab('k', storage)).toBe('v');
    removeFromTab('k', storage);
    expect(readTab('k', storage)).toBeNull();
  });

  it('finds nothing and keeps nothing when storage throws or is missing', () => {
    for (const storage of [brokenStorage(), undefined]) {
      expect(() => writeTab('k', 'v', storage)).not.toThrow();
      expect(readTab('k', storage)).toBeNull();
      expect(() => removeFromTab('k', storage)).not.toThrow();
    }
  });
});
