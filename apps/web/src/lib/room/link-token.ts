// A personal link's token, once the pre-join page has read it from the address: kept for this
// tab only (a reload of the pre-join page still works), never in the address bar or history
// (which screenshots, shared screens and synced browser history would show).
import { readTab, removeFromTab, writeTab } from '$lib/tab-storage.ts';

const KEY = 'pp_link';

export const keepLinkToken = (token: string, storage?: Storage): void =>
  writeTab(KEY, token, storage);

export const keptLinkToken = (storage?: Storage): string | null => readTab(KEY, storage);

export const forgetLinkToken = (storage?: Storage): void => removeFromTab(KEY, storage);
