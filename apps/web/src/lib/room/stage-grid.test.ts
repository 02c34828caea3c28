import { describe, expect, it } from 'vitest';
import { EMPTY_GRID, stageGrid, stageKind } from './stage-grid.ts';

describe('stageGrid', () => {
  it.each([
    // count, width, height → columns × rows
    [1, 1440, 700, 1, 1],
    [2, 1440, 700, 2, 1],
    [3, 1440, 700, 2, 2],
    [4, 1440, 700, 2, 2],
    [5, 1440, 700, 3, 2],
    [7, 1440, 700, 3, 3],
    [9, 1440, 700, 3, 3],
    [2, 390, 600, 1, 2],
    [3, 390, 600, 1, 3],
    [4, 390, 600, 1, 4],
    [6, 390, 600, 2, 3],
    [3, 768, 850, 1, 3],
    [4, 768, 850, 2, 2],
    [3, 844, 220, 3, 1],
    [3, 320, 400, 1, 3],
  ])('%i tiles in %i×%i take %i columns × %i rows', (count, width, height, columns, rows) => {
    const grid = stageGrid(count, width, height);
    expect([grid.columns, grid.rows]).toEqual([columns, rows]);
  });

  it('fits inside the stage, at 16:9', () => {
    for (const [count, width, height] of [
      [4, 390, 600],
      [9, 1440, 700],
      [2, 320, 300],
      [12, 768, 850],
    ] as const) {
      const g = stageGrid(count, width, height, 8);
      expect(g.columns * g.rows).toBeGreaterThanOrEqual(count);
      expect(g.columns * g.tileWidth + 8 * (g.columns - 1)).toBeLessThanOrEqual(width);
      expect(g.rows * g.tileHeight + 8 * (g.rows - 1)).toBeLessThanOrEqual(height);
      expect(Math.abs(g.tileWidth / g.tileHeight - 16 / 9)).toBeLessThan(0.05);
    }
  });

  it('no column count gives a larger tile than the one chosen', () => {
    for (let count = 1; count <= 16; count++) {
      for (const [width, height] of [
        [390, 560],
        [1440, 760],
        [844, 220],
      ] as const) {
        const chosen = stageGrid(count, width, height).tileWidth;
        for (let columns = 1; columns <= count; columns++) {
          const rows = Math.ceil(count / columns);
          const w = Math.min(
            (width - 8 * (columns - 1)) / columns,
            ((height - 8 * (rows - 1)) / rows) * (16 / 9),
          );
          expect(Math.floor(w)).toBeLessThanOrEqual(chosen);
        }
      }
    }
  });

  it('honours another aspect and gap', () => {
    expect(stageGrid(1, 400, 400, 0, 1)).toEqual({
      columns: 1,
      rows: 1,
      tileWidth: 400,
      tileHeight: 400,
    });
    expect(stageGrid(2, 400, 400, 0, 1).tileWidth).toBe(200);
  });

  it('is empty without tiles or room', () => {
    expect(stageGrid(0, 800, 600)).toEqual(EMPTY_GRID);
    expect(stageGrid(3, 0, 600)).toEqual(EMPTY_GRID);
    expect(stageGrid(3, 800, -1)).toEqual(EMPTY_GRID);
  });
});

describe('stageKind', () => {
  it.each([
    [true, 0, 3, 'reflecting'],
    [true, 1, 3, 'reflecting'],
    [false, 1, 3, 'share'],
    [false, 1, 0, 'share'],
    [false, 0, 3, 'dialogue'],
    [false, 0, 0, 'alone'],
  ] as const)('reflecting %s, %i screens, %i others → %s', (reflecting, screens, others, kind) => {
    expect(stageKind(reflecting, screens, others)).toBe(kind);
  });
});
