import type { FastifyRequest } from 'fastify';
import { findGuestParticipant, findStaffParticipantId, hashToken, type Db } from '@polyphony/db';
import { AppError } from '../app-error.ts';
import { CSRF_HEADER, csrfTokenMatches } from '../auth/staff-session.ts';
import { GUEST_COOKIE, guestCsrfMatches } from './guest-session.ts';

/** Who acts in a meeting: always a participant of it, reached by a guest or a staff session. */
export interface MeetingActor {
  readonly participantId: string;
  /** Set when a signed-in staff member acts as their participant. */
  readonly staffId: string | null;
  /** The guest session (device) acting; null for staff. The domain decides what it may do. */
  readonly device: string | null;
}

export interface ActorOptions {
  readonly db: Db;
  readonly csrfSecret: string;
  /** State-changing requests must carry the session's CSRF token. */
  readonly requireCsrf: boolean;
}

const csrfFailed = () =>
  new AppError('CSRF_FAILED', 'This request could not be verified. Reload the page.');

/**
 * Resolves the actor of a request on `/api/meetings/:id/…`: the guest session of that meeting,
 * else the signed-in staff member's participant in it. Someone of another meeting is refused
 * (no cross-meeting access); nobody signed in is 401.
 */
export async function meetingActor(
  request: FastifyRequest,
  meetingId: string,
  opts: ActorOptions,
): Promise<MeetingActor> {
  const presented = request.headers[CSRF_HEADER];
  const csrf = typeof presented === 'string' ? presented : undefined;
  const guestToken = request.cookies[GUEST_COOKIE];
  let known = false;
  if (guestToken) {
    const hash = hashToken(guestToken);
    const guest = await findGuestParticipant(opts.db, hash);
    if (guest) known = true;
    if (guest && guest.meetingId === meetingId) {
      if (opts.requireCsrf && !guestCsrfMatches(opts.csrfSecret, hash, csrf)) throw csrfFailed();
      return { participantId: guest.id, staffId: null, device: guest.device };
    }
  }
  const session = request.staffSession;
  if (session) {
    known = true;
    const participantId = await findStaffParticipantId(opts.db, meetingId, session.staff.id);
    if (participantId) {
      if (opts.requireCsrf && !csrfTokenMatches(csrf, session.csrfTokenHash)) throw csrfFailed();
      return { participantId, staffId: session.staff.id, device: null };
    }
  }
  if (known) throw new AppError('NOT_A_PARTICIPANT', 'You are not part of this meeting.');
  throw new AppError('UNAUTHENTICATED', 'Please open your link again.');
}
