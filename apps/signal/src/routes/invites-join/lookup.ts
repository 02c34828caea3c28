import {
  coreTeamNames,
  findLinkByTokenHash,
  hashToken,
  type Db,
  type LinkView,
} from '@polyphony/db';
import { isLinkUsable } from '@polyphony/domain';
import { AppError } from '../../app-error.ts';

export const linkInvalid = (contact: string | null = null) =>
  new AppError('LINK_INVALID', 'This link does not work. Ask the team for a new one.', contact);

/**
 * The link a token opens, if it is usable now. Unknown, expired and revoked links are all the
 * same to the holder (404 LINK_INVALID): nothing says which one they hit, or whether the link
 * was revoked or expired. The answer names whom to ask: for a link that once worked, its
 * organisation's contact; otherwise (or if the organisation said none) the operator's
 * `supportContact`. Only someone holding a real link's 43-character secret learns the
 * organisation's contact.
 */
export async function usableLink(
  db: Db,
  token: string,
  now: number,
  supportContact: string | null,
): Promise<LinkView> {
  const link = await findLinkByTokenHash(db, hashToken(token));
  const lifetime = link && {
    revokedAt: link.revokedAt?.getTime() ?? null,
    expiresAt: link.expiresAt.getTime(),
  };
  if (!link || !lifetime || !isLinkUsable(lifetime, now)) {
    throw linkInvalid(link?.organisationContact ?? supportContact);
  }
  return link;
}

export { coreTeamNames as careTeamNames };
