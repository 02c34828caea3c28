import { describe, expect, it } from 'vitest';
import { forgetLinkToken, keepLinkToken, keptLinkToken } from './link-token.ts';

function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (k) => map.get(k) ?? null,
    key: (i) => [...map.keys()][i] ?? null,
    removeItem: (k) => void map.delete(k),
    setItem: (k, v) => void map.set(k, v),
  };
}

describe('the link token kept for the tab', () => {
  it('is kept, read back and forgotten', () => {
    const storage = memoryStorage();
    expect(keptLinkToken(storage)).toBeNull();
    keepLinkToken('tok', storage);
    expect(keptLinkToken(storage)).toBe('tok');
    forgetLinkToken(storage);
    expect(keptLinkToken(storage)).toBeNull();
  });

  it('survives storage that throws (private mode)', () => {
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    } as unknown as Storage;
    expect(() => keepLinkToken('tok', broken)).not.toThrow();
    expect(keptLinkToken(broken)).toBeNull();
    expect(() => forgetLinkToken(broken)).not.toThrow();
  });
});
