import type { FastifyPluginAsync } from 'fastify';
import {
  findInviteView,
  findOrganisation,
  findMember,
  holdersOfUsableInvites,
  listStaff,
  revokeInvite,
} from '@polyphony/db';
import { decide, inviteLanguage, inviteRole, type Invitee } from '@polyphony/domain';
import type { CreatedInvite } from '@polyphony/protocol';
import { AppError } from '../../app-error.ts';
import { manageableMeeting } from '../../meetings/access.ts';
import { everyoneWithoutLink } from '../../meetings/everyone.ts';
import { planInvites, type InviteTarget } from '../../meetings/invites.ts';
import { runCommands } from '../../commands/runner.ts';
import { toInvite } from '../../meetings/views.ts';
import { endpoint } from '../endpoint.ts';
import { meetingCalendar } from '../../meetings/calendar.ts';
import { inviteMail } from '../../mail/invite-mail.ts';
import { usableLink } from '../invites-join/lookup.ts';
import type { StaffRouteOptions } from '../staff-route-options.ts';

const invitesRoutes: FastifyPluginAsync<StaffRouteOptions> = async (app, opts) => {
  const issueContext = (staffId: string, now: number) => ({
    staffId,
    now,
    inviteTtlMs: opts.inviteTtlMs,
    publicOrigin: opts.publicOrigin,
  });

  endpoint(app, 'createInvite', async (request, reply) => {
    const db = app.database.db;
    const session = request.actor.session;
    const found = await manageableMeeting(db, session, request.params.id);
    const { memberId, staffId, role, language } = request.body;
    if ((memberId === undefined) === (staffId === undefined)) {
      throw new AppError('VALIDATION_FAILED', 'Give exactly one of memberId or staffId.');
    }
    let invitee: Invitee;
    let displayName: string;
    if (memberId !== undefined) {
      const member = await findMember(db, found.network.id, memberId);
      if (!member) throw new AppError('NOT_FOUND', 'There is no such member in this network.');
      invitee = { kind: 'member', isCentre: member.isCentre };
      displayName = member.name;
    } else {
      const colleague = (await listStaff(db, session.staff.organisationId)).find(
        (s) => s.id === staffId,
      );
      if (!colleague) throw new AppError('NOT_FOUND', 'There is no such staff member here.');
      invitee = {
        kind: 'staff',
        isCoreTeam: found.coreTeamIds.has(colleague.id),
        isMeetingCreator: found.meeting.createdBy === colleague.id,
      };
      displayName = colleague.displayName;
    }
    const chosen = inviteRole(invitee, role);
    if (!chosen) throw new AppError('ROLE_NOT_ALLOWED', 'That role does not fit this person.');
    const named = inviteLanguage(chosen, language);
    if (!named) {
      throw new AppError(
        'VALIDATION_FAILED',
        "An interpreter's link names the language they interpret; no other link names one.",
      );
    }
    const target: InviteTarget = {
      memberId: memberId ?? null,
      staffId: staffId ?? null,
      displayName,
      role: chosen,
      language: named.language,
    };
    const now = opts.now();
    const { links, prepare } = planInvites(
      { meeting: found.meeting, ...issueContext(session.staff.id, now) },
      [target],
    );
    await runCommands(app.commands, found.meeting.id, async (tx, state) => {
      const holders = await holdersOfUsableInvites(tx, found.meeting.id, new Date(now));
      if (
        (memberId && holders.memberIds.has(memberId)) ||
        (staffId && holders.staffIds.has(staffId))
      ) {
        throw new AppError('ALREADY_INVITED', 'This person already has a link for this meeting.');
      }
      return prepare(tx, state);
    });
    return reply.code(201).send(links[0]!);
  });

  endpoint(app, 'inviteEveryone', async (request, reply) => {
    const db = app.database.db;
    const session = request.actor.session;
    const found = await manageableMeeting(db, session, request.params.id);
    const now = opts.now();
    let links: CreatedInvite[] = [];
    await runCommands(app.commands, found.meeting.id, async (tx, state, meeting) => {
      if (meeting.state === 'ended') {
        throw new AppError('MEETING_ENDED', 'This meeting has ended.');
      }
      const plan = planInvites(
        { meeting, ...issueContext(session.staff.id, now) },
        await everyoneWithoutLink(tx, meeting, now),
        { skipRefused: true },
      );
      links = plan.links;
      return plan.prepare(tx, state);
    });
    return reply.code(201).send({ links });
  });

  endpoint(app, 'revokeInvite', async (request) => {
    const db = app.database.db;
    const session = request.actor.session;
    const found = await manageableMeeting(db, session, request.params.id);
    const now = opts.now();
    const notFound = () => new AppError('NOT_FOUND', 'There is no such link.');
    const inviteId = request.params.inviteId;
    await runCommands(app.commands, found.meeting.id, async (tx, state, meeting) => {
      const before = await findInviteView(tx, meeting.id, inviteId);
      if (!before) throw notFound();
      const none = { commands: [], actor: { staffId: session.staff.id } };
      if (before.invite.revokedAt) return none;
      const { participantId } = await revokeInvite(tx, before.invite.id, new Date(now));
      if (!participantId) return none;
      const command = { type: 'revoke_link', actorId: session.staff.id, participantId } as const;
      // A link of an ended meeting, or one already out of the log's reach, is only marked.
      return decide(state, command, now).ok ? { ...none, commands: [command] } : none;
    });
    const view = await findInviteView(db, found.meeting.id, inviteId);
    return toInvite(view!);
  });

  endpoint(app, 'emailInvite', async (request) => {
    const db = app.database.db;
    const session = request.actor.session;
    const found = await manageableMeeting(db, session, request.params.id);
    if (!app.mail) {
      throw new AppError('MAIL_NOT_CONFIGURED', 'Sending links by e-mail is not set up here.');
    }
    if (found.meeting.state === 'ended') {
      throw new AppError('MEETING_ENDED', 'This meeting has ended.');
    }
    const now = opts.now();
    // The same test of a usable link as opening it (unknown, expired, revoked: LINK_INVALID).
    const link = await usableLink(db, request.body.token, now, null);
    if (link.inviteId !== request.params.inviteId || link.meetingId !== found.meeting.id) {
      throw new AppError('LINK_INVALID', 'That is not a usable link of this meeting.');
    }
    const organisation = await findOrganisation(db, session.staff.organisationId);
    const startsAt = found.meeting.scheduledAt?.getTime() ?? null;
    const mail = inviteMail({
      to: request.body.to,
      team: organisation?.name ?? 'Polyphony',
      url: `${opts.publicOrigin}/join/${request.body.token}`,
      startsAt: found.meeting.state === 'scheduled' ? startsAt : null,
      timeZone: app.mail.timeZone,
      calendar:
        found.meeting.state === 'scheduled' && startsAt !== null
          ? meetingCalendar({
              meetingId: found.meeting.id,
              startsAt,
              now,
              host: new URL(opts.publicOrigin).host,
            })
          : null,
    });
    try {
      await app.mail.mailer.send(mail);
    } catch (err) {
      // The relay's answer only: never the address or the message.
      request.log.warn({ code: (err as { code?: unknown }).code }, 'mail relay refused');
      throw new AppError('MAIL_FAILED', 'The mail relay did not take the message. Try again.');
    }
    return { sent: true as const };
  });
};

export default invitesRoutes;
