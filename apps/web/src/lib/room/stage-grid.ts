/** How many columns and rows the stage's tiles take, and how large each tile is (CSS pixels). */
export interface StageGrid {
  readonly columns: number;
  readonly rows: number;
  readonly tileWidth: number;
  readonly tileHeight: number;
}

export const EMPTY_GRID: StageGrid = { columns: 0, rows: 0, tileWidth: 0, tileHeight: 0 };

/**
 * The grid that makes `count` tiles of one aspect ratio (16:9 unless told) as large as they can
 * be inside `width` × `height`, with `gap` between them. Every column count is tried; the one
 * giving the widest tile wins, fewer rows on a tie (a calmer, wider picture). Pure: the stage
 * measures itself and asks again when its size or the people present change.
 */
export function stageGrid(
  count: number,
  width: number,
  height: number,
  gap = 8,
  aspect = 16 / 9,
): StageGrid {
  if (count <= 0 || width <= 0 || height <= 0) return EMPTY_GRID;
  let best: StageGrid = EMPTY_GRID;
  for (let columns = 1; columns <= count; columns++) {
    const rows = Math.ceil(count / columns);
    const byWidth = (width - gap * (columns - 1)) / columns;
    const byHeight = ((height - gap * (rows - 1)) / rows) * aspect;
    const tileWidth = Math.floor(Math.max(0, Math.min(byWidth, byHeight)));
    if (tileWidth > best.tileWidth) {
      best = { columns, rows, tileWidth, tileHeight: Math.floor(tileWidth / aspect) };
    }
  }
  return best;
}

/**
 * How the stage is arranged: a shared screen takes the stage (everyone in a strip under it); a
 * reflection puts the team large and the network in a strip; otherwise the others fill a fitted
 * grid and one's own picture sits small in a corner (or fills the stage while one is alone).
 */
export type StageKind = 'share' | 'reflecting' | 'dialogue' | 'alone';

export function stageKind(reflecting: boolean, screens: number, others: number): StageKind {
  if (reflecting) return 'reflecting';
  if (screens > 0) return 'share';
  return others > 0 ? 'dialogue' : 'alone';
}
