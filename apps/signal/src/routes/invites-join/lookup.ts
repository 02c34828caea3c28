import {
  coreTeamNames,
  findLinkByTokenHash,
  hashToken,
  type Db,
  type LinkView,
} from '@polyphony/db';
import { AppError } from '../../app-error.ts';

export const linkInvalid = () =>
  new AppError('LINK_INVALID', 'This link does not work. Ask the team for a new one.');

/**
 * The link a token opens, if it is usable now. Unknown, expired and revoked links are all the
 * same to the holder (404 LINK_INVALID): nothing tells a guesser which one they hit.
 */
export async function usableLink(db: Db, token: string, now: number): Promise<LinkView> {
  const link = await findLinkByTokenHash(db, hashToken(token));
  if (!link || link.revokedAt !== null || link.expiresAt.getTime() <= now) throw linkInvalid();
  return link;
}

export { coreTeamNames as careTeamNames };
