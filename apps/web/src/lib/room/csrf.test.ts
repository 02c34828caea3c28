import { describe, expect, it } from 'vitest';
import { memoryStorage } from '$lib/testing/memory-storage.ts';
import { csrfTokenFor, rememberCsrfToken } from './csrf.ts';

describe('csrf token store', () => {
  it('keeps one token per meeting', () => {
    const storage = memoryStorage();
    rememberCsrfToken('m1', 'a', storage);
    rememberCsrfToken('m2', 'b', storage);
    expect(csrfTokenFor('m1', storage)).toBe('a');
    expect(csrfTokenFor('m2', storage)).toBe('b');
    expect(csrfTokenFor('m3', storage)).toBeNull();
  });

  it('survives a storage that throws', () => {
    const broken = {
      ...memoryStorage(),
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    expect(() => rememberCsrfToken('m1', 'a', broken)).not.toThrow();
    expect(csrfTokenFor('m1', broken)).toBeNull();
  });
});
