import type { FastifyBaseLogger } from 'fastify';
import {
  appendEvents,
  findMeetingRow,
  type Db,
  type EventActor,
  type MeetingRow,
  type StoredMeetingEvent,
  type Tx,
} from '@polyphony/db';
import {
  decide,
  type MeetingCommand,
  type MeetingEvent,
  type MeetingState,
} from '@polyphony/domain';
import { AppError } from '../app-error.ts';
import type { LiveHub } from '../live/hub.ts';
import { committed } from '../live/to-live-event.ts';
import { DomainRefusal } from './domain-error.ts';
import type { MediaEffects } from './media-effects.ts';
import type { MeetingStates } from './meeting-states.ts';
import { mirrorState } from './mirror.ts';

export interface CommandDeps {
  readonly db: Db;
  readonly hub: LiveHub;
  readonly states: MeetingStates;
  readonly effects: MediaEffects;
  readonly log: FastifyBaseLogger;
  readonly now: () => number;
}

/** What to run, decided under the meeting's lock with its current state in hand. */
export interface Plan {
  readonly commands: readonly MeetingCommand[];
  readonly actor: EventActor;
}

export interface CommandResult {
  readonly meeting: MeetingRow;
  /** The log's sequence number after the commands (unchanged when nothing happened). */
  readonly seq: number;
  readonly before: MeetingState;
  readonly state: MeetingState;
  readonly events: readonly StoredMeetingEvent[];
}

/**
 * Runs meeting commands the one way state changes: in one transaction, lock the meeting row,
 * rebuild its state from the log (cached, verified by seq), let `decide` refuse or produce
 * events, append them, mirror them into the rows, and announce them. After the commit the
 * events go to live connections and LiveKit follows (removals, permission updates). `prepare`
 * may write rows the commands need (a new participant) in the same transaction.
 */
export async function runCommands(
  deps: CommandDeps,
  meetingId: string,
  prepare: (tx: Tx, state: MeetingState, meeting: MeetingRow) => Promise<Plan>,
): Promise<CommandResult> {
  const result = await deps.db.transaction((tx) =>
    runCommandsInTransaction(deps, tx, meetingId, prepare),
  );
  await afterCommands(deps, result);
  return result;
}

/**
 * The transactional half of {@link runCommands}, for a caller whose transaction also writes
 * other rows (a new meeting, its links). The caller must call {@link afterCommands} once the
 * transaction has committed.
 */
export async function runCommandsInTransaction(
  deps: CommandDeps,
  tx: Tx,
  meetingId: string,
  prepare: (tx: Tx, state: MeetingState, meeting: MeetingRow) => Promise<Plan>,
): Promise<CommandResult> {
  const meeting = await findMeetingRow(tx, meetingId, true);
  if (!meeting) throw new AppError('NOT_FOUND', 'There is no such meeting.');
  const before = await deps.states.at(tx, meeting);
  const plan = await prepare(tx, before, meeting);
  const now = deps.now();
  let state = before;
  const decided: MeetingEvent[] = [];
  for (const command of plan.commands) {
    const decision = decide(state, command, now);
    if (!decision.ok) throw new DomainRefusal(decision);
    state = decision.state;
    decided.push(...decision.events);
  }
  // Restrict first: what this decision takes away reaches LiveKit while the commit runs.
  if (decided.length > 0) deps.effects.restrictEarly(meetingId, before, state);
  const events = await appendEvents(tx, meetingId, decided, plan.actor);
  await mirrorState(tx, meetingId, before, state, decided);
  await deps.hub.announce(tx, meetingId, events);
  const seq = meeting.lastSeq + events.length;
  return { meeting: { ...meeting, lastSeq: seq }, seq, before, state, events };
}

/** After the commit: remember the state, tell live connections, let LiveKit follow. */
export async function afterCommands(deps: CommandDeps, result: CommandResult): Promise<void> {
  const meetingId = result.meeting.id;
  deps.states.remember(meetingId, result.seq, result.state);
  if (result.events.length > 0) {
    deps.hub.publish(meetingId, result.events.map(committed));
    await deps.effects.afterCommit(meetingId, result.before, result.state);
  }
}
