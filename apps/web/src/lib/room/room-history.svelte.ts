import type { LiveEvent, TimelinePerson } from '@polyphony/protocol';
import { getTimeline } from '$lib/api/record.ts';
import { mergeEvents } from './timeline-events.ts';

/**
 * The meeting's log as the room shows it (timeline and shared record): read once on entering
 * the room, then kept up to date from the live channel. Events are merged by sequence number,
 * so a reload racing live events loses nothing and repeats nothing.
 */
export class RoomHistory {
  readonly #meetingId: string;
  readonly #fetcher: typeof fetch | undefined;
  events = $state.raw<readonly LiveEvent[]>([]);
  /** People the timeline may name, from the server (people who have been in the room). */
  people = $state.raw<readonly TimelinePerson[]>([]);
  #generation = 0;

  constructor(meetingId: string, fetcher?: typeof fetch) {
    this.#meetingId = meetingId;
    this.#fetcher = fetcher;
  }

  add(event: LiveEvent): void {
    this.events = mergeEvents(this.events, [event]);
  }

  /** Reads the whole log again (after entering the room or a fresh snapshot). */
  async reload(): Promise<void> {
    const generation = ++this.#generation;
    const result = await getTimeline(this.#meetingId, this.#fetcher);
    if (!result.ok || generation !== this.#generation) return;
    this.events = mergeEvents(this.events, result.value.events);
    this.people = result.value.people;
  }
}
