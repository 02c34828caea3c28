// What the accessibility sweep (accessibility.e2e.test.ts) covers and what it lets pass. The
// accessibility statement (docs/accessibility/statement.md) quotes both lists, and
// infra/lint/safety-docs.test.ts checks that it does: a state dropped from the sweep, or an
// exclusion the statement does not own up to, fails the build.

/** Every page and state the sweep visits, in each language and each view. */
export const SWEPT_STATES = [
  'setup',
  'landing',
  'sign-in',
  'sign-in refused',
  'dashboard',
  'network',
  'new network',
  'staff accounts',
  'meeting links',
  'pre-join',
  'lobby waiting',
  'lobby declined',
  'room facilitator with a knock',
  'room dialogue',
  'room centre asked to consent',
  'room reflection network',
  'room reflection facilitator',
  'room leave dialog',
  'room ending',
  'room ended',
  'record during the meeting',
  'record after the end',
  'error dead link',
  'error not found staff',
  'error not found',
  'error not in the meeting',
] as const;
export type SweptState = (typeof SWEPT_STATES)[number];

export const LANGUAGES = [
  { lang: 'en', locale: 'en-GB' },
  { lang: 'fi', locale: 'fi-FI' },
] as const;

/**
 * The views each state is checked in. 320 CSS px wide is WCAG 1.4.10's reflow width. 200% zoom
 * is a 1280×720 window zoomed to 200%, which lays the page out in a 640×360 CSS-pixel viewport:
 * the sweep sets that viewport (what zoom changes for layout and for axe), as the 200% zoom
 * check in room-tiles.e2e.test.ts does.
 */
export const VIEWS = [
  { view: '320px', width: 320, height: 640 },
  { view: '200%', width: 640, height: 360 },
] as const;

/**
 * Serious or critical findings the sweep lets pass, each on exactly one state, with the reason
 * it is not fixed yet. Empty means none: the statement's known issues must then list none found
 * by the automated run either.
 */
export const KNOWN_ISSUES: readonly { state: SweptState; rule: string; why: string }[] = [];
