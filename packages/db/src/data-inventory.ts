// The DPIA's data inventory (docs/privacy/dpia.md) against the drizzle schema: every column the
// database has must have an entry saying why it is kept, how long and who sees it, and every
// entry must name a column that exists.
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';

export interface Column {
  readonly table: string;
  readonly column: string;
}

/** Every table and column of a drizzle schema module, by their SQL names. */
export function schemaColumns(schema: Record<string, unknown>): Column[] {
  return Object.values(schema)
    .filter((value): value is PgTable => value instanceof PgTable)
    .flatMap((table) => {
      const config = getTableConfig(table);
      return config.columns.map((c) => ({ table: config.name, column: c.name }));
    });
}

/** The number of cells an inventory row must fill: column, holds, why, how long, who sees it. */
export const INVENTORY_CELLS = 5;

export interface InventoryEntry {
  readonly line: number;
  readonly table: string;
  readonly column: string;
  /** The row's cells after the column name, trimmed. */
  readonly cells: readonly string[];
}

/** Rows of the inventory tables: "| `table.column` | … |". */
export function parseInventory(markdown: string): InventoryEntry[] {
  const entries: InventoryEntry[] = [];
  markdown.split('\n').forEach((text, i) => {
    const row = /^\|\s*`([a-z0-9_]+)\.([a-z0-9_]+)`\s*\|(.*)\|\s*$/.exec(text);
    if (!row) return;
    entries.push({
      line: i + 1,
      table: row[1]!,
      column: row[2]!,
      cells: row[3]!.split('|').map((cell) => cell.trim()),
    });
  });
  return entries;
}

/** Every way the inventory and the schema disagree, one sentence each. */
export function inventoryProblems(
  entries: readonly InventoryEntry[],
  columns: readonly Column[],
): string[] {
  const key = (c: Column) => `${c.table}.${c.column}`;
  const inSchema = new Set(columns.map(key));
  const listed = new Map<string, number>();
  const problems: string[] = [];
  for (const entry of entries) {
    const name = key(entry);
    if (listed.has(name)) problems.push(`${name} is listed twice (line ${entry.line})`);
    listed.set(name, entry.line);
    if (!inSchema.has(name))
      problems.push(`${name} is not a column of the schema (line ${entry.line})`);
    if (
      entry.cells.length !== INVENTORY_CELLS - 1 ||
      entry.cells.some((cell) => cell === '' || cell === '?')
    ) {
      problems.push(
        `${name} must say what it holds, why, how long and who sees it (line ${entry.line})`,
      );
    }
  }
  for (const column of columns) {
    if (!listed.has(key(column))) problems.push(`${key(column)} has no inventory entry`);
  }
  return problems;
}
