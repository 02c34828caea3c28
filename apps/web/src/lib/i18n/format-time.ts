import { getLocale } from '$lib/paraglide/runtime.js';

/** "14:05" in the reader's language. */
export const formatTime = (ms: number): string =>
  new Intl.DateTimeFormat(getLocale(), { timeStyle: 'short' }).format(ms);

/** "Monday 2 March 2026, 10:00" in the reader's language. */
export const formatDateTime = (ms: number): string =>
  new Intl.DateTimeFormat(getLocale(), { dateStyle: 'full', timeStyle: 'short' }).format(ms);
