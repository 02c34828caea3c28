import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import {
  findStaffParticipantId,
  insertStaffParticipant,
  staffStandingInMeeting,
} from '@polyphony/db';
import { defaultInviteRole, staffEntry, type MeetingCommand } from '@polyphony/domain';
import { AppError } from '../../app-error.ts';
import { runCommands } from '../../commands/runner.ts';
import { endpoint } from '../endpoint.ts';
import { actAsParticipant, withRetryAfter } from './command-route.ts';

/**
 * A signed-in staff member opens a meeting as their own participant: their staff link's place
 * if they have one, else (core team only) a new place with the role the domain gives them,
 * made by the domain's own invite. Then they knock; core-team staff go straight in.
 * A guest knocks again from the page they are on (after leaving, or a "not now"): their own
 * device's session knocks, under the same rules as opening the link there.
 */
const enterRoute: FastifyPluginAsync = async (app) => {
  endpoint(app, 'enter', async (request, reply) => {
    const caller = request.actor;
    const meetingId = caller.meetingId;
    const companions = request.body.companions ?? [];
    const session = caller.staff;
    if (!session) {
      // Without a staff session the access hook let only this meeting's guest through.
      const guest = { ...caller, participant: caller.participant! };
      const knocked = await actAsParticipant(app.commands, guest, reply, (actor) => [
        { type: 'join', actorId: actor.participantId, companions },
      ]);
      return { meetingId, participantId: guest.participant.participantId, seq: knocked.seq };
    }
    const deps = app.commands;
    const staffId = session.staff.id;
    const access = await staffStandingInMeeting(
      deps.db,
      meetingId,
      session.staff.organisationId,
      staffId,
    );
    if (!access) throw new AppError('NOT_FOUND', 'There is no such meeting.');
    let participantId = '';
    const result = await withRetryAfter(reply, deps.now, () =>
      runCommands(deps, meetingId, async (tx) => {
        const existing = await findStaffParticipantId(tx, meetingId, staffId);
        const commands: MeetingCommand[] = [];
        const entry = staffEntry({ hasPlace: existing !== null, isCoreTeam: access.isCoreTeam });
        if (entry === 'needs_link') {
          throw new AppError('NOT_A_PARTICIPANT', 'Ask the team for a link to this meeting.');
        }
        if (existing) {
          participantId = existing;
        } else {
          participantId = randomUUID();
          const role = defaultInviteRole({ kind: 'staff', ...access });
          await insertStaffParticipant(tx, {
            id: participantId,
            meetingId,
            staffId,
            role,
            displayName: session.staff.displayName,
          });
          commands.push({ type: 'invite', actorId: staffId, participantId, role });
        }
        commands.push({ type: 'join', actorId: participantId, companions });
        return { commands, actor: { staffId } };
      }),
    );
    return { meetingId, participantId, seq: result.seq };
  });
};

export default enterRoute;
