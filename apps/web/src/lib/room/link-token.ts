// A personal link's token, once the pre-join page has read it from the address: kept for this
// tab only (a reload of the pre-join page still works), never in the address bar or history
// (which screenshots, shared screens and synced browser history would show).

const KEY = 'pp_link';

export function keepLinkToken(
  token: string,
  storage: Storage | undefined = globalThis.sessionStorage,
): void {
  try {
    storage?.setItem(KEY, token);
  } catch {
    // No storage (private mode): the token is still held in memory by the page.
  }
}

export function keptLinkToken(
  storage: Storage | undefined = globalThis.sessionStorage,
): string | null {
  try {
    return storage?.getItem(KEY) ?? null;
  } catch {
    return null;
  }
}

export function forgetLinkToken(storage: Storage | undefined = globalThis.sessionStorage): void {
  try {
    storage?.removeItem(KEY);
  } catch {
    // nothing kept
  }
}
