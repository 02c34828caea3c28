import fp from 'fastify-plugin';
import { createMediaEffects, type MediaEffects } from './media-effects.ts';
import { createMeetingStates, type MeetingStates } from './meeting-states.ts';
import type { CommandDeps } from './runner.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Everything meeting commands need: the database, hub, state cache and LiveKit effects. */
    commands: CommandDeps;
  }
}

export interface CommandsPluginOptions {
  readonly now: () => number;
}

/** Wires the command runner's dependencies once per app. */
export default fp<CommandsPluginOptions>(
  async (app, opts) => {
    const states: MeetingStates = createMeetingStates();
    const effects: MediaEffects = createMediaEffects({
      livekit: app.livekit,
      log: app.log,
      latestState: async (meetingId) =>
        (await states.latest(app.database.db, meetingId))?.state ?? null,
    });
    app.decorate('commands', {
      db: app.database.db,
      hub: app.hub,
      states,
      effects,
      log: app.log,
      now: opts.now,
    });
    app.addHook('onClose', () => effects.idle());
  },
  { name: 'commands', dependencies: ['db', 'livekit'] },
);
