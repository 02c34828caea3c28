import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  findStaffParticipantId,
  insertStaffParticipant,
  staffStandingInMeeting,
} from '@polyphony/db';
import { defaultInviteRole, staffEntry, type MeetingCommand } from '@polyphony/domain';
import { EnterMeetingRequest, EnterMeetingResponse, IdParams } from '@polyphony/protocol';
import { AppError } from '../../app-error.ts';
import { CSRF_HEADER, csrfTokenMatches } from '../../auth/staff-session.ts';
import { runCommands } from '../../commands/runner.ts';
import { ERROR_RESPONSES } from '../schemas.ts';
import { actAsParticipant, withRetryAfter, type CommandRouteOptions } from './command-route.ts';

/**
 * A signed-in staff member opens a meeting as their own participant: their staff link's place
 * if they have one, else (core team only) a new place with the role the domain gives them,
 * made by the domain's own invite. Then they knock; core-team staff go straight in.
 * A guest knocks again from the page they are on (after leaving, or a "not now"): their own
 * device's session knocks, under the same rules as opening the link there.
 */
const enterRoute: FastifyPluginAsyncTypebox<CommandRouteOptions> = async (app, opts) => {
  app.post(
    '/api/meetings/:id/participants/me',
    {
      config: { csrf: 'none' },
      schema: {
        summary: 'Open the meeting as one\u2019s own participant, or knock again (core team go in)',
        description:
          'With a staff session and its `X-CSRF-Token`: core-team staff without a link get ' +
          'a place on first use; other staff need a link. Without one, the guest session of ' +
          'this meeting (and its `X-CSRF-Token`) knocks again from its device, as opening the ' +
          'link there would (429 KNOCK_TOO_SOON with Retry-After after a recent "not now").',
        tags: ['participants'],
        params: IdParams,
        body: EnterMeetingRequest,
        response: { 200: EnterMeetingResponse, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const session = request.staffSession;
      if (!session) {
        let participantId = '';
        const knocked = await actAsParticipant(
          app.commands,
          opts,
          request,
          reply,
          request.params.id,
          (actor) => {
            participantId = actor.participantId;
            return [
              {
                type: 'join',
                actorId: actor.participantId,
                companions: request.body.companions ?? [],
              },
            ];
          },
        );
        return { meetingId: request.params.id, participantId, seq: knocked.seq };
      }
      const presented = request.headers[CSRF_HEADER];
      if (
        !csrfTokenMatches(
          typeof presented === 'string' ? presented : undefined,
          session.csrfTokenHash,
        )
      ) {
        throw new AppError('CSRF_FAILED', 'This request could not be verified. Reload the page.');
      }
      const deps = app.commands;
      const meetingId = request.params.id;
      const staffId = session.staff.id;
      const access = await staffStandingInMeeting(
        deps.db,
        meetingId,
        session.staff.organisationId,
        staffId,
      );
      if (!access) throw new AppError('NOT_FOUND', 'There is no such meeting.');
      const companions = request.body.companions ?? [];
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
    },
  );
};

export default enterRoute;
