import fp from 'fastify-plugin';
import { liveChannelsOf } from '@polyphony/db';
import { SERVER_ACTOR } from '@polyphony/domain';
import { createMediaEffects, type MediaEffects } from './media-effects.ts';
import { createMeetingStates, type MeetingStates } from './meeting-states.ts';
import { runCommands, type CommandDeps } from './runner.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Everything meeting commands need: the database, hub, state cache and LiveKit effects. */
    commands: CommandDeps;
  }
}

/** The name of a meeting's lock across nodes, before its id (ADR 0026). */
const MEETING_MEDIA_LOCK = 'polyphony:meeting-media:';

/** How long an admitted identity may be missing from the room before it counts as lost. */
const LOST_GRACE_MS = 3000;

export interface CommandsPluginOptions {
  readonly now: () => number;
  readonly lostGraceMs?: number;
}

/** Wires the command runner's dependencies once per app. */
export default fp<CommandsPluginOptions>(
  async (app, opts) => {
    const states: MeetingStates = createMeetingStates();
    const effects: MediaEffects = createMediaEffects({
      livekit: app.livekit,
      lock: (meetingId, mode, work) =>
        app.database.exclusive(`${MEETING_MEDIA_LOCK}${meetingId}`, mode, work),
      log: app.log,
      latestState: async (meetingId) =>
        (await states.latest(app.database.db, meetingId))?.state ?? null,
      // Not awaited by the media queue: the command's own after-commit work joins that queue.
      eject: async (meetingId, targetId, reason) => {
        void runCommands(deps, meetingId, async () => ({
          commands: [{ type: 'eject', actorId: SERVER_ACTOR, targetId, reason }],
          actor: {},
        })).catch((err: unknown) => app.log.error({ err, meetingId }, 'eject failed'));
      },
      note: (meetingId, targetId, what) => {
        const type = what === 'connected' ? 'note_connected' : 'note_lost';
        void runCommands(deps, meetingId, async () => ({
          commands: [{ type, actorId: SERVER_ACTOR, targetId }],
          actor: {},
        })).catch((err: unknown) => app.log.error({ err, meetingId }, 'connection note failed'));
      },
      lostGraceMs: opts.lostGraceMs ?? LOST_GRACE_MS,
      channelClosedAt: async (participantId, device) => {
        const rows = await liveChannelsOf(app.database.db, [participantId]);
        return rows.find((r) => r.device === device)?.closedAt?.getTime() ?? null;
      },
      now: opts.now,
    });
    const deps: CommandDeps = {
      db: app.database.db,
      hub: app.hub,
      states,
      effects,
      log: app.log,
      now: opts.now,
    };
    app.decorate('commands', deps);
    app.addHook('onClose', () => effects.idle());
  },
  { name: 'commands', dependencies: ['db', 'livekit'] },
);
