import {
  MODES,
  PUBLISH_SOURCES,
  isReflectingTeam,
  type MeetingRole,
  type Mode,
} from '@polyphony/domain';
import type { RosterEntry } from '@polyphony/protocol';
import type { RemoteTile } from './remote-tiles.ts';

/** Whether this role may use a microphone in this mode (the media server enforces the same). */
export function microphoneAllowed(role: MeetingRole, mode: Mode): boolean {
  const sources: readonly string[] = PUBLISH_SOURCES[mode][role];
  return sources.includes('microphone');
}

/** Whether a reflection pauses this role's microphone and the return to dialogue gives it back. */
export function microphoneReturnsAfterReflection(role: MeetingRole): boolean {
  return microphoneAllowed(role, 'dialogue') && !microphoneAllowed(role, 'reflecting');
}

/**
 * Why this role may not use a microphone now: `paused` for this reflection only (it comes back
 * in dialogue), `never` for a role that does not speak (an observer), `none` when it may.
 */
export type MicrophoneBlock = 'none' | 'paused' | 'never';

export function microphoneBlock(role: MeetingRole, mode: Mode): MicrophoneBlock {
  if (microphoneAllowed(role, mode)) return 'none';
  return MODES.some((m) => microphoneAllowed(role, m)) ? 'paused' : 'never';
}

/**
 * What a tile's microphone badge says: `muted` when the person may speak but sends no sound (off
 * by their choice), `paused` when the reflection holds their sound, nothing (`on`, `none`) while
 * they are heard, for a role that never speaks, or for someone not on the roster.
 */
export type TileMicrophone = 'on' | 'muted' | 'paused' | 'none';

export function tileMicrophone(
  role: MeetingRole | null,
  mode: Mode,
  sendingSound: boolean,
): TileMicrophone {
  if (role === null) return 'none';
  switch (microphoneBlock(role, mode)) {
    case 'never':
      return 'none';
    case 'paused':
      return 'paused';
    case 'none':
      return sendingSound ? 'on' : 'muted';
  }
}

/**
 * Where each role's tile sits during a reflection: with the team, large and side by side, or in
 * the network's strip. The interpreter sits beside the team: the family watches them carry the
 * reflection into their language (product.md section 3).
 */
export const REFLECTION_STAGE = {
  facilitator: 'team',
  cofacilitator: 'team',
  team: 'team',
  centre: 'network',
  network: 'network',
  observer: 'network',
  interpreter: 'team',
} as const satisfies Record<MeetingRole, 'team' | 'network'>;

/**
 * Tiles split for the reflecting layout: the team (and an interpreter) large, side by side; the
 * network in a strip.
 */
export function splitTiles(tiles: readonly RemoteTile[]): {
  readonly team: readonly RemoteTile[];
  readonly network: readonly RemoteTile[];
} {
  const team: RemoteTile[] = [];
  const network: RemoteTile[] = [];
  for (const tile of tiles) {
    if (tile.entry !== null && REFLECTION_STAGE[tile.entry.role] === 'team') team.push(tile);
    else network.push(tile);
  }
  return { team, network };
}

/** Names of the reflecting team on the roster (me included), for the banner. */
export function reflectingNames(me: RosterEntry, others: readonly RosterEntry[]): string[] {
  return [me, ...others].filter((p) => isReflectingTeam(p.role)).map((p) => p.displayName);
}

/** Display names for participant ids, in order, skipping anyone no longer on the roster. */
export function namesFor(
  ids: readonly string[],
  me: RosterEntry,
  others: readonly RosterEntry[],
): { readonly participantId: string; readonly displayName: string }[] {
  const byId = new Map([me, ...others].map((p) => [p.participantId, p]));
  return ids.flatMap((id) => {
    const entry = byId.get(id);
    return entry ? [{ participantId: id, displayName: entry.displayName }] : [];
  });
}
