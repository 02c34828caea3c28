/**
 * The room's panels: what sits one tap away from the stage, in a side sheet on wide screens and a
 * bottom sheet on a phone (ADR 0033). Which panels a person sees follows what the room view
 * already allows them; badges count what waits for them there.
 */
export const PANELS = ['people', 'lobby', 'voices', 'record', 'timeline', 'mine'] as const;
export type PanelId = (typeof PANELS)[number];

/** The parts of the room view that decide the panels (see room-view.ts). */
export interface PanelRights {
  /** Lets people in (and the meeting has a lobby). */
  readonly admitsPeople: boolean;
  /** Leads the meeting: the voices view. */
  readonly seesVoices: boolean;
}

const SHOWN = {
  people: () => true,
  lobby: (r) => r.admitsPeople,
  voices: (r) => r.seesVoices,
  record: () => true,
  timeline: () => true,
  mine: () => true,
} as const satisfies Record<PanelId, (rights: PanelRights) => boolean>;

/** The panels this person has, in the bar's order. */
export function panelsFor(rights: PanelRights): PanelId[] {
  return PANELS.filter((id) => SHOWN[id](rights));
}

/** What the room knows now, and how much of it this person has already seen. */
export interface BadgeInput {
  /** People at the door waiting for this person's key. */
  readonly waiting: number;
  readonly timelineCount: number;
  readonly recordCount: number;
  /** How many timeline items / record lines there were when each panel was last open. */
  readonly seen: { readonly timeline: number; readonly record: number };
  /** The panel open now: what it shows is seen. */
  readonly open: PanelId | null;
}

/** The number on each panel's button; 0 draws no badge. */
export function panelBadges(input: BadgeInput): Record<PanelId, number> {
  const unread = (id: 'timeline' | 'record', count: number): number =>
    input.open === id ? 0 : Math.max(0, count - input.seen[id]);
  return {
    people: 0,
    lobby: Math.max(0, input.waiting),
    voices: 0,
    record: unread('record', input.recordCount),
    timeline: unread('timeline', input.timelineCount),
    mine: 0,
  };
}

/** The badge on "More" (a phone's hidden panels): everything waiting behind it. */
export function hiddenBadge(badges: Record<PanelId, number>, hidden: readonly PanelId[]): number {
  return hidden.reduce((sum, id) => sum + badges[id], 0);
}

/** Opening a panel that is open closes it (the button is a toggle); another one replaces it. */
export function togglePanel(open: PanelId | null, id: PanelId): PanelId | null {
  return open === id ? null : id;
}

/** The letter of each panel's keyboard shortcut (Alt+Shift+letter). */
export const PANEL_KEYS = {
  people: 'P',
  lobby: 'L',
  voices: 'V',
  record: 'R',
  timeline: 'T',
  mine: 'I',
} as const satisfies Record<PanelId, string>;

/** The bar's own actions with a shortcut. */
export const ACTION_KEYS = {
  microphone: 'M',
  camera: 'C',
  respond: 'H',
} as const;
export type ActionId = keyof typeof ACTION_KEYS;

const shortcut = (letter: string): string => `Alt+Shift+${letter}`;

/** Shortcuts as aria-keyshortcuts writes them (and the bar draws them). */
export const SHORTCUTS = {
  microphone: shortcut(ACTION_KEYS.microphone),
  camera: shortcut(ACTION_KEYS.camera),
  respond: shortcut(ACTION_KEYS.respond),
  people: shortcut(PANEL_KEYS.people),
  lobby: shortcut(PANEL_KEYS.lobby),
  voices: shortcut(PANEL_KEYS.voices),
  record: shortcut(PANEL_KEYS.record),
  timeline: shortcut(PANEL_KEYS.timeline),
  mine: shortcut(PANEL_KEYS.mine),
} as const satisfies Record<PanelId | ActionId, string>;

type Key = { readonly altKey: boolean; readonly shiftKey: boolean; readonly code: string };

/** The panel a key press asks for, if any: Alt+Shift+letter, the same letter as announced. */
export function panelForKey(event: Key, panels: readonly PanelId[]): PanelId | null {
  if (!event.altKey || !event.shiftKey) return null;
  return panels.find((id) => event.code === `Key${PANEL_KEYS[id]}`) ?? null;
}

/** The bar action a key press asks for, if any. */
export function actionForKey(event: Key): ActionId | null {
  if (!event.altKey || !event.shiftKey) return null;
  const found = Object.entries(ACTION_KEYS).find(([, letter]) => event.code === `Key${letter}`);
  return found ? (found[0] as ActionId) : null;
}

/**
 * Where the lobby's list sits: over the stage as a card while someone knocks (seen without
 * opening anything), in its panel otherwise or while that panel is open. Never both: one list,
 * one set of buttons.
 */
export function lobbyPlace(knocking: boolean, open: PanelId | null): 'card' | 'panel' {
  return knocking && open !== 'lobby' ? 'card' : 'panel';
}
