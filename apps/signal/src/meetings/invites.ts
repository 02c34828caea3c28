import { randomUUID } from 'node:crypto';
import {
  appendEvents,
  findInviteView,
  hashToken,
  insertInvite,
  meetingLog,
  newSecretToken,
  preApprovedParticipants,
  type MeetingRecord,
  type StoredMeetingEvent,
  type Tx,
} from '@polyphony/db';
import {
  decide,
  findParticipant,
  inviteExpiresAt,
  replay,
  type MeetingRole,
} from '@polyphony/domain';
import type { CreatedInvite, ErrorCode } from '@polyphony/protocol';
import { AppError } from '../app-error.ts';
import { toInvite } from './views.ts';

/** Who gets a link, with the role already chosen by the domain's rule. */
export interface InviteTarget {
  readonly memberId: string | null;
  readonly staffId: string | null;
  readonly displayName: string;
  readonly role: MeetingRole;
}

export interface IssueContext {
  readonly meeting: MeetingRecord;
  readonly staffId: string;
  readonly now: number;
  readonly inviteTtlMs: number;
  readonly publicOrigin: string;
}

const REFUSAL_CODES: Partial<Record<string, ErrorCode>> = {
  CENTRE_ALREADY_SET: 'CENTRE_ALREADY_SET',
  MEETING_ENDED: 'MEETING_ENDED',
  ALREADY_INVITED: 'ALREADY_INVITED',
};

/**
 * Makes personal links inside the caller's transaction (which holds the meeting's row lock):
 * for each target, the domain decides the `participant.invited` event, then the link (token
 * hash only) and the invited participant are stored and the events appended. Returns the links
 * with their tokens (shown once) and the stored events, to publish after commit.
 */
export async function issueInvites(
  tx: Tx,
  ctx: IssueContext,
  targets: readonly InviteTarget[],
  options: { readonly skipRefused?: boolean } = {},
): Promise<{ links: CreatedInvite[]; events: StoredMeetingEvent[] }> {
  let state = replay(await meetingLog(tx, ctx.meeting.id));
  const links: CreatedInvite[] = [];
  const decided = [];
  const expiresAt = new Date(
    inviteExpiresAt(ctx.now, ctx.meeting.scheduledAt?.getTime() ?? null, ctx.inviteTtlMs),
  );
  for (const target of targets) {
    const participantId = randomUUID();
    const decision = decide(
      state,
      { type: 'invite', actorId: ctx.staffId, participantId, role: target.role },
      ctx.now,
    );
    if (!decision.ok) {
      if (options.skipRefused) continue;
      throw new AppError(
        REFUSAL_CODES[decision.code] ?? 'CONFLICT',
        decision.code === 'CENTRE_ALREADY_SET'
          ? 'This meeting already has a link for the person at the centre.'
          : 'This meeting cannot take new links now.',
      );
    }
    state = decision.state;
    decided.push(...decision.events);
    const token = newSecretToken();
    const invite = await insertInvite(tx, {
      meetingId: ctx.meeting.id,
      memberId: target.memberId,
      staffId: target.staffId,
      role: target.role,
      tokenHash: hashToken(token),
      expiresAt,
      createdBy: ctx.staffId,
      participantId,
      displayName: target.displayName,
    });
    const view = await findInviteView(tx, ctx.meeting.id, invite.id);
    links.push({
      invite: toInvite(view!),
      token,
      url: `${ctx.publicOrigin}/join/${token}`,
    });
  }
  // The centre person's advance consent lives on the network member; the meeting's log must
  // hold it too, or the two-key rule would still wait for a live yes. Only for people who have
  // not knocked yet: a knock goes through the command runner, which mirrors admissions.
  for (const pre of await preApprovedParticipants(tx, ctx.meeting.id)) {
    if (findParticipant(state, pre.participantId)?.state !== 'invited') continue;
    const decision = decide(
      state,
      { type: 'record_pre_approval', actorId: pre.recordedBy, participantId: pre.participantId },
      ctx.now,
    );
    if (!decision.ok) continue;
    state = decision.state;
    decided.push(...decision.events);
  }
  const events = await appendEvents(tx, ctx.meeting.id, decided, { staffId: ctx.staffId });
  return { links, events };
}
