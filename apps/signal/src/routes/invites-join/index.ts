import type { FastifyPluginAsync } from 'fastify';
import { hashToken, namesBeside, newSecretToken, startGuestSession } from '@polyphony/db';
import {
  centrePerson,
  findParticipant,
  linkUse,
  nameTaken,
  normaliseName,
  PRESENCE,
} from '@polyphony/domain';
import { AppError } from '../../app-error.ts';
import { guestCsrfToken, setGuestCookie } from '../../commands/guest-session.ts';
import { runCommands } from '../../commands/runner.ts';
import { withRetryAfter } from '../participants/command-route.ts';
import { cleanPlan, writePlan } from '../participants/plan.ts';
import { endpoint } from '../endpoint.ts';
import { probeCredentials } from '../../plugins/livekit-turn.ts';
import { careTeamNames } from './lookup.ts';

export interface InviteJoinOptions {
  readonly cookieSecure: boolean;
  readonly csrfSecret: string;
  /** Link uses allowed per client address per minute (opening and knocking). */
  readonly linkUsesPerMinute: number;
  /** What the pre-join network check is given to try (see `networkCheck`). */
  readonly networkCheck: NetworkCheckOptions;
}

export interface NetworkCheckOptions {
  /** LIVEKIT_URL, as pages reach it. */
  readonly mediaServer: string;
  readonly turn: { readonly udpUrl: string | null; readonly tlsUrl: string | null };
  readonly keys: { readonly apiKey: string; readonly apiSecret: string };
}

const RECORDING = {
  audioVideoRecorded: false,
  sharedRecordKept: true,
  timelineKept: true,
  speakingTimeShownToFacilitators: true,
  speakingTimeStored: false,
} as const;

/** Opening a personal link and knocking with it (product.md section 4; no account needed). */
const inviteJoinRoutes: FastifyPluginAsync<InviteJoinOptions> = async (app, opts) => {
  const rateLimit = { max: opts.linkUsesPerMinute, timeWindow: 60_000 };

  endpoint(
    app,
    'invitePreview',
    async (request) => {
      const { db, states } = app.commands;
      const { link } = request.actor;
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
    { rateLimit },
  );

  endpoint(
    app,
    'networkCheck',
    async () => {
      const { mediaServer, turn, keys } = opts.networkCheck;
      const now = app.commands.now();
      const probe = (url: string | null, transport: 'udp' | 'tcp') =>
        url === null
          ? null
          : { urls: `${url}?transport=${transport}`, ...probeCredentials(keys, now) };
      return {
        mediaServer: mediaServer.replace(/^ws/, 'http'),
        udp: probe(turn.udpUrl, 'udp'),
        tls: probe(turn.tlsUrl, 'tcp'),
      };
    },
    { rateLimit },
  );

  endpoint(
    app,
    'join',
    async (request, reply) => {
      const deps = app.commands;
      const { link, device: known } = request.actor;
      // The same browser (its session cookie for this link) is the same device: it keeps its
      // place. Any other browser is a new device, with its own session, and knocks.
      const sameDevice = known !== null && known.participantId === link.participantId;
      const sessionToken = sameDevice ? known.token : newSecretToken();
      const sessionHash = hashToken(sessionToken);
      const displayName = normaliseName(request.body.displayName);
      const plan = request.body.plan === undefined ? undefined : cleanPlan(request.body.plan);
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
          // Likewise its plan: the seat's device keeps the one it declared.
          const planChanged =
            plan !== undefined &&
            (sameDevice || !seatHeld) &&
            (await writePlan(tx, link.meetingId, link.participantId, plan, new Date(deps.now())));
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
              ...(planChanged
                ? [{ type: 'update_own_plan' as const, actorId: link.participantId, device }]
                : []),
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
    { rateLimit },
  );
};

export default inviteJoinRoutes;
