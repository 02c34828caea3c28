import { and, eq, inArray, isNotNull, isNull, lte, max } from 'drizzle-orm';
import type { EpisodeFacts } from '@polyphony/domain';
import { invites, networkMembers, networks } from '../schema/index.ts';
import type { Db, DbOrTx } from '../types.ts';
import type { NetworkRow } from './networks.ts';

/**
 * Closes a network's care episode (idempotent: an episode already closed keeps its first
 * closing). The row as it now stands, or null for a network not of the organisation.
 */
export async function closeEpisode(
  db: Db,
  organisationId: string,
  networkId: string,
  at: Date,
  by: string,
): Promise<NetworkRow | null> {
  await db
    .update(networks)
    .set({ closedAt: at, closedBy: by })
    .where(
      and(
        eq(networks.id, networkId),
        eq(networks.organisationId, organisationId),
        isNull(networks.closedAt),
      ),
    );
  const [row] = await db
    .select()
    .from(networks)
    .where(and(eq(networks.id, networkId), eq(networks.organisationId, organisationId)));
  return row ?? null;
}

async function factsOf(db: DbOrTx, row: Pick<NetworkRow, 'id' | 'closedAt' | 'membersPurgedAt'>) {
  const [links] = await db
    .select({ until: max(invites.expiresAt) })
    .from(invites)
    .innerJoin(networkMembers, eq(networkMembers.id, invites.networkMemberId))
    .where(and(eq(networkMembers.networkId, row.id), isNull(invites.revokedAt)));
  const facts: EpisodeFacts = {
    closedAt: row.closedAt?.getTime() ?? null,
    membersPurgedAt: row.membersPurgedAt?.getTime() ?? null,
    memberLinksUsableUntil: links?.until ? new Date(links.until).getTime() : null,
  };
  return facts;
}

/**
 * Closed episodes whose members are not yet purged, closed at or before `closedBefore`, with
 * their facts. The rule never lets an episode go sooner than the retention period after it
 * closed, so this bounds the search without deciding anything.
 */
export async function episodeCandidates(
  db: Db,
  closedBefore: Date,
): Promise<{ networkId: string; facts: EpisodeFacts }[]> {
  const rows = await db
    .select({
      id: networks.id,
      closedAt: networks.closedAt,
      membersPurgedAt: networks.membersPurgedAt,
    })
    .from(networks)
    .where(
      and(
        isNotNull(networks.closedAt),
        isNull(networks.membersPurgedAt),
        lte(networks.closedAt, closedBefore),
      ),
    );
  return Promise.all(rows.map(async (r) => ({ networkId: r.id, facts: await factsOf(db, r) })));
}

/**
 * Removes a closed episode's members (names, relationships, pre-approvals; their links go with
 * them) in one transaction under the network's row lock (`SKIP LOCKED`), asking `stillDue`
 * again under it. Nothing else of the network changes: its label, core team and meetings
 * stay (meetings are purged on their own schedule). Returns how many members went, or null
 * when skipped.
 */
export function purgeEpisodeMembers(
  db: Db,
  networkId: string,
  at: Date,
  stillDue: (facts: EpisodeFacts) => boolean,
): Promise<number | null> {
  return db.transaction(async (tx) => {
    const [locked] = await tx
      .select({
        id: networks.id,
        closedAt: networks.closedAt,
        membersPurgedAt: networks.membersPurgedAt,
      })
      .from(networks)
      .where(and(eq(networks.id, networkId), isNull(networks.membersPurgedAt)))
      .for('update', { skipLocked: true });
    if (!locked || !stillDue(await factsOf(tx, locked))) return null;
    const members = await tx
      .select({ id: networkMembers.id })
      .from(networkMembers)
      .where(eq(networkMembers.networkId, networkId));
    const ids = members.map((m) => m.id);
    if (ids.length > 0) {
      await tx.delete(invites).where(inArray(invites.networkMemberId, ids));
      await tx.delete(networkMembers).where(inArray(networkMembers.id, ids));
    }
    await tx.update(networks).set({ membersPurgedAt: at }).where(eq(networks.id, networkId));
    return ids.length;
  });
}
