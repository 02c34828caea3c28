import { readFileSync } from 'node:fs';
import { integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import * as schema from './schema/index.ts';
import { inventoryProblems, parseInventory, schemaColumns } from './data-inventory.ts';

const DPIA = readFileSync(new URL('../../../docs/privacy/dpia.md', import.meta.url), 'utf8');

describe('the DPIA data inventory', () => {
  it('reads the schema: every table, every column, by SQL name', () => {
    const columns = schemaColumns(schema);
    expect(columns).toContainEqual({ table: 'participants', column: 'display_name' });
    expect(columns).toContainEqual({ table: 'meeting_events', column: 'payload' });
    expect(new Set(columns.map((c) => c.table)).size).toBeGreaterThanOrEqual(12);
  });

  it('has an entry for every column of the schema, and none for a column that is not there', () => {
    expect(inventoryProblems(parseInventory(DPIA), schemaColumns(schema))).toEqual([]);
  });

  it('fires when the schema gains a column the inventory does not list', () => {
    const withNewColumn = {
      ...schema,
      participants: pgTable('participants', {
        ...Object.fromEntries(
          schemaColumns(schema)
            .filter((c) => c.table === 'participants')
            .map((c) => [c.column, text(c.column)]),
        ),
        phoneNumber: text('phone_number'),
      }),
    };
    expect(inventoryProblems(parseInventory(DPIA), schemaColumns(withNewColumn))).toEqual([
      'participants.phone_number has no inventory entry',
    ]);
  });

  it('fires when the schema gains a table the inventory does not list', () => {
    const notes = pgTable('clinical_notes', { id: uuid('id'), body: text('body') });
    expect(inventoryProblems(parseInventory(DPIA), schemaColumns({ ...schema, notes }))).toEqual([
      'clinical_notes.id has no inventory entry',
      'clinical_notes.body has no inventory entry',
    ]);
  });

  it('fires on an entry for a column that is gone, a repeated entry and an empty cell', () => {
    const doc = [
      '| `t.a` | holds | why | how long | who |',
      '| `t.a` | holds | why | how long | who |',
      '| `t.gone` | holds | why | how long | who |',
      '| `t.b` | holds |  | how long | who |',
    ].join('\n');
    const columns = schemaColumns({
      t: pgTable('t', { a: integer('a'), b: integer('b') }),
    });
    expect(inventoryProblems(parseInventory(doc), columns)).toEqual([
      't.a is listed twice (line 2)',
      't.gone is not a column of the schema (line 3)',
      't.b must say what it holds, why, how long and who sees it (line 4)',
    ]);
  });
});
