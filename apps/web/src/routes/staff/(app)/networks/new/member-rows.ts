import type { AddMemberRequest } from '@polyphony/protocol';

/** One editable row of the new-network form's people. */
export interface MemberDraft {
  readonly key: number;
  name: string;
  relationship: string;
}

/**
 * The members to add, centre person first: blank rows are left out, names and relationships
 * trimmed.
 */
export function membersToAdd(
  centre: { name: string; relationship: string },
  others: readonly MemberDraft[],
): AddMemberRequest[] {
  const rows: AddMemberRequest[] = [];
  if (centre.name.trim()) {
    rows.push({
      name: centre.name.trim(),
      relationship: centre.relationship.trim(),
      isCentre: true,
    });
  }
  for (const row of others) {
    if (!row.name.trim()) continue;
    rows.push({ name: row.name.trim(), relationship: row.relationship.trim(), isCentre: false });
  }
  return rows;
}
