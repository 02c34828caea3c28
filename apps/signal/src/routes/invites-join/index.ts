import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  findGuestSession,
  hashToken,
  namesBeside,
  newSecretToken,
  startGuestSession,
} from '@polyphony/db';
import {
  centrePerson,
  findParticipant,
  linkUse,
  nameTaken,
  normaliseName,
  PRESENCE,
} from '@polyphony/domain';
import {
  InvitePreview,
  InviteTokenParams,
  JoinRequest,
  MeetingSessionResponse,
} from '@polyphony/protocol';
import { AppError } from '../../app-error.ts';
import { GUEST_COOKIE, guestCsrfToken, setGuestCookie } from '../../commands/guest-session.ts';
import { runCommands } from '../../commands/runner.ts';
import { withRetryAfter } from '../participants/command-route.ts';
import { ERROR_RESPONSES } from '../schemas.ts';
import { careTeamNames, usableLink } from './lookup.ts';

export interface InviteJoinOptions {
  readonly publicOrigin: string;
  readonly cookieSecure: boolean;
  readonly csrfSecret: string;
  /** Link uses allowed per client address per minute (opening and knocking). */
  readonly linkUsesPerMinute: number;
  /** Whom to ask when a link's organisation is unknown or said nothing (config). */
  readonly supportContact: string | null;
}

const RECORDING = {
  audioVideoRecorded: false,
  sharedRecordKept: true,
  timelineKept: true,
  speakingTimeShownToFacilitators: true,
  speakingTimeStored: false,
} as const;

/** Opening a personal link and knocking with it (product.md section 4; no account needed). */
const inviteJoinRoutes: FastifyPluginAsyncTypebox<InviteJoinOptions> = async (app, opts) => {
  const rateLimit = { max: opts.linkUsesPerMinute, timeWindow: 60_000 };

  app.get(
    '/api/invites/:token',
    {
      config: { rateLimit },
      schema: {
        summary: 'What the pre-join page shows for a personal link',
        description:
          'Unknown, expired and revoked links all answer 404 LINK_INVALID, with `contact`: ' +
          'whom to ask for a new link (the organisation\u2019s contact for a link that once ' +
          'worked, else the operator\u2019s `SUPPORT_CONTACT`). A usable link\u2019s answer ' +
          'names the organisation and its contact, and the care team. The token is never logged.',
        tags: ['join'],
        params: InviteTokenParams,
        response: { 200: InvitePreview, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { db, now, states } = app.commands;
      const link = await usableLink(db, request.params.token, now(), opts.supportContact);
      const [team, latest] = await Promise.all([
        careTeamNames(db, link.networkId),
        states.latest(db, link.meetingId),
      ]);
      return {
        meeting: {
          id: link.meetingId,
          state: link.meetingState,
          scheduledAt: link.scheduledAt?.toISOString() ?? null,
        },
        team: team.map((displayName) => ({ displayName })),
        organisation: { name: link.organisationName, contact: link.organisationContact },
        role: link.role,
        suggestedName: link.displayName,
        hasCentrePerson: latest ? centrePerson(latest.state) !== undefined : false,
        recording: RECORDING,
      };
    },
  );

  app.post(
    '/api/invites/:token/join',
    {
      config: { rateLimit, csrf: 'none' },
      schema: {
        summary: 'Knock: enter the waiting room with a name and who is in the room',
        description:
          'Sets the `pp_guest` session cookie (HttpOnly, SameSite=Strict, Path=/api) and ' +
          'returns the CSRF token for `X-CSRF-Token`. Requires `Origin` to be the public ' +
          'origin. Each browser is a device with its own session: the same browser keeps its ' +
          'place; another device knocks (beside the seat if the person is in the room). ' +
          'A recently declined person gets 429 KNOCK_TOO_SOON with Retry-After. After ' +
          'the end, someone let in at least once gets a read-only session for the record ' +
          '(`readOnly: true`, nothing knocks); anyone else 409 MEETING_ENDED. A name someone ' +
          'else in the meeting or its care team has (compared without case or invisible ' +
          'characters) is 409 NAME_TAKEN.',
        tags: ['join'],
        params: InviteTokenParams,
        body: JoinRequest,
        response: { 200: MeetingSessionResponse, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      if (request.headers.origin !== opts.publicOrigin) {
        throw new AppError('ORIGIN_REJECTED', 'This request came from another site.');
      }
      const deps = app.commands;
      const link = await usableLink(deps.db, request.params.token, deps.now(), opts.supportContact);
      // The same browser (its session cookie for this link) is the same device: it keeps its
      // place. Any other browser is a new device, with its own session, and knocks.
      const presented = request.cookies[GUEST_COOKIE];
      const known = presented ? await findGuestSession(deps.db, hashToken(presented)) : null;
      const sameDevice = known !== null && known.participantId === link.participantId;
      const sessionToken = sameDevice ? presented! : newSecretToken();
      const sessionHash = hashToken(sessionToken);
      const displayName = normaliseName(request.body.displayName);
      const actor = { participantId: link.participantId };
      let readOnly = false;
      await withRetryAfter(reply, deps.now, () =>
        runCommands(deps, link.meetingId, async (tx, state) => {
          readOnly = linkUse(state, link.participantId) === 'read_record';
          if (readOnly) {
            if (!sameDevice) await startGuestSession(tx, link.participantId, sessionHash, null);
            return { commands: [], actor };
          }
          // A new device knocking beside a seat held in the room does not rename that seat.
          const place = findParticipant(state, link.participantId);
          const seatHeld = place !== undefined && PRESENCE[place.state] === 'media';
          if (!sameDevice && !seatHeld && nameTaken(displayName, await namesBeside(tx, link))) {
            throw new AppError(
              'NAME_TAKEN',
              'Someone in this meeting already has this name. Add an initial or a surname.',
            );
          }
          const device = sameDevice
            ? known.device
            : await startGuestSession(
                tx,
                link.participantId,
                sessionHash,
                seatHeld ? null : displayName,
              );
          return {
            commands: [
              {
                type: 'join',
                actorId: link.participantId,
                companions: request.body.companions,
                device,
              },
            ],
            actor,
          };
        }),
      );
      setGuestCookie(reply, sessionToken, opts.cookieSecure);
      return {
        meetingId: link.meetingId,
        participantId: link.participantId,
        csrfToken: guestCsrfToken(opts.csrfSecret, sessionHash),
        readOnly,
      };
    },
  );
};

export default inviteJoinRoutes;
