import { describe, expect, it } from 'vitest';
import {
  ACTION_KEYS,
  PANELS,
  SHORTCUTS,
  actionForKey,
  lobbyPlace,
  PANEL_KEYS,
  hiddenBadge,
  panelBadges,
  panelForKey,
  panelsFor,
  togglePanel,
  type BadgeInput,
} from './room-panels.ts';

describe('panelsFor', () => {
  it.each([
    [
      { admitsPeople: true, seesVoices: true },
      ['people', 'lobby', 'voices', 'record', 'timeline', 'mine'],
    ],
    [{ admitsPeople: true, seesVoices: false }, ['people', 'lobby', 'record', 'timeline', 'mine']],
    [{ admitsPeople: false, seesVoices: true }, ['people', 'voices', 'record', 'timeline', 'mine']],
    [{ admitsPeople: false, seesVoices: false }, ['people', 'record', 'timeline', 'mine']],
  ])('%o → %o', (rights, panels) => {
    expect(panelsFor(rights)).toEqual(panels);
  });
});

describe('panelBadges', () => {
  const base: BadgeInput = {
    waiting: 0,
    timelineCount: 0,
    recordCount: 0,
    seen: { timeline: 0, record: 0 },
    open: null,
  };

  it('counts who waits at the door', () => {
    expect(panelBadges({ ...base, waiting: 2 }).lobby).toBe(2);
  });

  it('counts timeline items and record lines not yet seen', () => {
    const badges = panelBadges({
      ...base,
      timelineCount: 7,
      recordCount: 3,
      seen: { timeline: 4, record: 3 },
    });
    expect(badges).toEqual({ people: 0, lobby: 0, voices: 0, record: 0, timeline: 3, mine: 0 });
  });

  it('an open panel has nothing unread', () => {
    expect(panelBadges({ ...base, timelineCount: 5, open: 'timeline' }).timeline).toBe(0);
    expect(panelBadges({ ...base, recordCount: 5, open: 'timeline' }).record).toBe(5);
  });

  it('never negative (a shorter list after a reload)', () => {
    const badges = panelBadges({ ...base, waiting: -1, seen: { timeline: 9, record: 9 } });
    expect(Object.values(badges).every((n) => n === 0)).toBe(true);
  });

  it('More carries the badges of what it hides', () => {
    const badges = panelBadges({ ...base, waiting: 1, timelineCount: 2 });
    expect(hiddenBadge(badges, ['timeline', 'record'])).toBe(2);
    expect(hiddenBadge(badges, ['lobby', 'timeline'])).toBe(3);
    expect(hiddenBadge(badges, [])).toBe(0);
  });
});

describe('togglePanel', () => {
  it('opens, replaces and closes', () => {
    expect(togglePanel(null, 'people')).toBe('people');
    expect(togglePanel('people', 'timeline')).toBe('timeline');
    expect(togglePanel('timeline', 'timeline')).toBeNull();
  });
});

describe('panelForKey', () => {
  const all = [...PANELS];
  it('Alt+Shift+letter opens the panel announced with that letter', () => {
    for (const id of PANELS) {
      expect(panelForKey({ altKey: true, shiftKey: true, code: `Key${PANEL_KEYS[id]}` }, all)).toBe(
        id,
      );
    }
  });

  it('needs both modifiers, and a panel this person has', () => {
    expect(panelForKey({ altKey: true, shiftKey: false, code: 'KeyT' }, all)).toBeNull();
    expect(panelForKey({ altKey: false, shiftKey: true, code: 'KeyT' }, all)).toBeNull();
    expect(panelForKey({ altKey: true, shiftKey: true, code: 'KeyL' }, ['people'])).toBeNull();
    expect(panelForKey({ altKey: true, shiftKey: true, code: 'KeyZ' }, all)).toBeNull();
  });

  it('every panel has its own letter', () => {
    expect(new Set(Object.values(PANEL_KEYS)).size).toBe(PANELS.length);
  });
});

describe('actionForKey', () => {
  it('Alt+Shift+M, C, H: microphone, camera, respond', () => {
    expect(actionForKey({ altKey: true, shiftKey: true, code: 'KeyM' })).toBe('microphone');
    expect(actionForKey({ altKey: true, shiftKey: true, code: 'KeyC' })).toBe('camera');
    expect(actionForKey({ altKey: true, shiftKey: true, code: 'KeyH' })).toBe('respond');
    expect(actionForKey({ altKey: false, shiftKey: true, code: 'KeyM' })).toBeNull();
    expect(actionForKey({ altKey: true, shiftKey: true, code: 'KeyT' })).toBeNull();
  });

  it('no letter serves two things, and each is announced as Alt+Shift+letter', () => {
    const letters = [...Object.values(PANEL_KEYS), ...Object.values(ACTION_KEYS)];
    expect(new Set(letters).size).toBe(letters.length);
    expect(SHORTCUTS.timeline).toBe('Alt+Shift+T');
    expect(SHORTCUTS.microphone).toBe('Alt+Shift+M');
  });
});

describe('lobbyPlace', () => {
  it.each([
    [true, null, 'card'],
    [true, 'people', 'card'],
    [true, 'lobby', 'panel'],
    [false, null, 'panel'],
    [false, 'lobby', 'panel'],
  ] as const)('knocking %s, open %s → %s', (knocking, open, place) => {
    expect(lobbyPlace(knocking, open)).toBe(place);
  });
});
