// What one browser tab keeps for itself (sessionStorage): gone when the tab closes, never sent
// anywhere. Storage may be unavailable (private mode, blocked): reads then find nothing and
// writes do nothing; every caller has an answer for "nothing kept".

export function readTab(
  key: string,
  storage: Storage | undefined = globalThis.sessionStorage,
): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

export function writeTab(
  key: string,
  value: string,
  storage: Storage | undefined = globalThis.sessionStorage,
): void {
  try {
    storage?.setItem(key, value);
  } catch {
    // nothing kept
  }
}

export function removeFromTab(
  key: string,
  storage: Storage | undefined = globalThis.sessionStorage,
): void {
  try {
    storage?.removeItem(key);
  } catch {
    // nothing kept
  }
}
