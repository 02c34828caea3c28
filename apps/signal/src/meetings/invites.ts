import { randomUUID } from 'node:crypto';
import {
  findInviteView,
  hashToken,
  insertInvite,
  newSecretToken,
  preApprovedParticipants,
  type MeetingRecord,
  type Tx,
} from '@polyphony/db';
import {
  decide,
  inviteExpiresAt,
  type DomainErrorCode as DomainCode,
  type MeetingCommand,
  type MeetingRole,
  type MeetingState,
} from '@polyphony/domain';
import type { CreatedInvite, ErrorCode } from '@polyphony/protocol';
import { AppError } from '../app-error.ts';
import type { Plan } from '../commands/runner.ts';
import { toInvite } from './views.ts';

/** Who gets a link, with the role already chosen by the domain's rule. */
export interface InviteTarget {
  readonly memberId: string | null;
  readonly staffId: string | null;
  readonly displayName: string;
  readonly role: MeetingRole;
  /** An interpreter's language, already checked by domain `inviteLanguage`; else null. */
  readonly language: string | null;
}

export interface IssueContext {
  readonly meeting: MeetingRecord;
  readonly staffId: string;
  readonly now: number;
  readonly inviteTtlMs: number;
  readonly publicOrigin: string;
}

const REFUSAL_CODES: Partial<Record<DomainCode, ErrorCode>> = {
  CENTRE_ALREADY_SET: 'CENTRE_ALREADY_SET',
  MEETING_ENDED: 'MEETING_ENDED',
  ALREADY_INVITED: 'ALREADY_INVITED',
};

/**
 * A plan for the command runner that makes personal links under the meeting's lock: for each
 * target the domain must accept an `invite` (refusals throw, or are skipped for bulk links);
 * the link (token hash only) and the invited participant are stored; then the centre person's
 * standing pre-approvals, recorded on network members in the staff app, are recorded in this
 * meeting's log too, or the two-key rule would still wait for a live yes. `links` fills as
 * the plan runs and holds the tokens (shown once).
 */
export function planInvites(
  ctx: IssueContext,
  targets: readonly InviteTarget[],
  options: { readonly skipRefused?: boolean } = {},
): { links: CreatedInvite[]; prepare: (tx: Tx, state: MeetingState) => Promise<Plan> } {
  const links: CreatedInvite[] = [];
  const expiresAt = new Date(
    inviteExpiresAt(ctx.now, ctx.meeting.scheduledAt?.getTime() ?? null, ctx.inviteTtlMs),
  );
  const prepare = async (tx: Tx, before: MeetingState): Promise<Plan> => {
    let state = before;
    const commands: MeetingCommand[] = [];
    const accepts = (command: MeetingCommand): DomainCode | null => {
      const decision = decide(state, command, ctx.now);
      if (!decision.ok) return decision.code;
      state = decision.state;
      commands.push(command);
      return null;
    };
    for (const target of targets) {
      const participantId = randomUUID();
      const refused = accepts({
        type: 'invite',
        actorId: ctx.staffId,
        participantId,
        role: target.role,
      });
      if (refused !== null) {
        if (options.skipRefused) continue;
        throw new AppError(
          REFUSAL_CODES[refused] ?? 'CONFLICT',
          refused === 'CENTRE_ALREADY_SET'
            ? 'This meeting already has a link for the person at the centre.'
            : 'This meeting cannot take new links now.',
        );
      }
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
        language: target.language,
      });
      const view = await findInviteView(tx, ctx.meeting.id, invite.id);
      links.push({ invite: toInvite(view!), token, url: `${ctx.publicOrigin}/join/${token}` });
    }
    for (const pre of await preApprovedParticipants(tx, ctx.meeting.id)) {
      // Refused when consent is not needed (no centre person yet, a core-team role): skip.
      accepts({
        type: 'record_pre_approval',
        actorId: pre.recordedBy,
        participantId: pre.participantId,
      });
    }
    return { commands, actor: { staffId: ctx.staffId } };
  };
  return { links, prepare };
}
