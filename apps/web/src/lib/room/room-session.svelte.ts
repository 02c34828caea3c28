import type { ClientMessage, ServerMessage } from '@polyphony/protocol';
import { DoorAlerts } from './door-alerts.svelte.ts';
import { LiveChannel, type ClosedReason, type LiveStatus } from './live-channel.ts';
import { decodeRoomEvent } from './live-messages.ts';
import { applyServerMessage, isInRoom, type LiveState } from './live-state.ts';
import { liveUrl } from './live-url.ts';
import { isReflectingTeam } from '@polyphony/domain';
import {
  cameraChoiceFor,
  microphoneChoiceFor,
  noiseSuppressionChoiceFor,
  rememberNoiseSuppressionChoice,
} from './microphone-choice.ts';
import { listenerIdentities, remoteTiles, type RemoteTile } from './remote-tiles.ts';
import { RoomCommands } from './room-commands.svelte.ts';
import { RoomHistory } from './room-history.svelte.ts';
import { RoomMedia } from './room-media.svelte.ts';
import { e2eeRelay } from './e2ee-relay.ts';

export type { ClosedReason, LiveStatus };

/** The browser's clock, for the live channel. */
const WINDOW_TIMERS = {
  setTimeout: (fn: () => void, ms: number) => window.setTimeout(fn, ms),
  clearTimeout: (handle: unknown) => window.clearTimeout(handle as number | undefined),
  setInterval: (fn: () => void, ms: number) => window.setInterval(fn, ms),
  clearInterval: (handle: unknown) => window.clearInterval(handle as number | undefined),
};

/**
 * One person's meeting session: the live channel (`LiveChannel`: snapshot, events, resume with
 * `?since`) and, once admitted, the LiveKit media. A thin rune wrapper: the page renders its
 * state and calls its methods.
 */
export class RoomSession {
  readonly meetingId: string;
  readonly media = new RoomMedia();
  readonly commands: RoomCommands;
  /** The timeline and shared record (the log, read on entering and kept live). */
  readonly history: RoomHistory;
  /** Knocks and answers at the door, for those who hold a key to it. */
  readonly door = new DoorAlerts();

  status = $state<LiveStatus>('connecting');
  closedReason = $state<ClosedReason | null>(null);
  live = $state.raw<LiveState | null>(null);
  /** Set when "join again" needs the personal link (guests). */
  rejoinByLink = $state(false);

  readonly tiles: readonly RemoteTile[] = $derived(
    remoteTiles(this.media.remotes, this.live?.others ?? [], this.live?.mode ?? 'dialogue'),
  );

  readonly #channel: LiveChannel;
  /** Whether the room, with its controls to mute and leave, is on screen (see `showRoom`). */
  #roomShown = false;

  constructor(meetingId: string) {
    this.meetingId = meetingId;
    this.media.startWithMicrophone(microphoneChoiceFor(meetingId));
    this.media.startWithCamera(cameraChoiceFor(meetingId));
    this.commands = new RoomCommands(meetingId);
    this.history = new RoomHistory(meetingId);
    this.media.e2eeRelay = {
      meetingId,
      relay: e2eeRelay(meetingId, () => this.commands.csrfToken()),
    };
    this.media.onLost = () => this.#resync();
    this.media.onSeat = (sid) => this.#send({ type: 'seat', sid });
    this.media.onDisplaced = () => {
      if (!this.#send({ type: 'displaced' })) this.#displacedUnsent = true;
    };
    this.#channel = new LiveChannel(
      {
        open: (since, listeners) => {
          const socket = new WebSocket(liveUrl(window.location, this.meetingId, since));
          socket.onmessage = (event) => listeners.message(event.data);
          socket.onclose = (event) => listeners.close(event.code);
          return socket;
        },
        timers: WINDOW_TIMERS,
      },
      {
        message: (message) => this.#onMessage(message),
        status: (status, reason) => {
          this.status = status;
          if (reason !== null) {
            this.closedReason = reason;
            void this.media.stop();
            this.door.close();
          }
        },
        since: () => this.live?.seq ?? null,
        hasState: () => this.live !== null,
      },
    );
    this.commands.onCommitted = (seq) => this.#channel.expectSeq(seq);
  }

  /** A displacement seen while the live channel was down, told once it is back. */
  #displacedUnsent = false;

  /** Sends on the live channel when it is open; false when it is not. */
  #send(message: ClientMessage): boolean {
    return this.#channel.send(message);
  }

  /** Opens the live channel; returns the cleanup that ends everything. */
  start(): () => void {
    this.closedReason = null;
    this.#channel.start();
    const onOnline = (): void => this.#channel.retryNow();
    window.addEventListener('online', onOnline);
    return () => {
      window.removeEventListener('online', onOnline);
      this.#shutdown();
    };
  }

  /**
   * After leaving (or from the lobby after a "not now"): staff enter again (core team go
   * straight in); a guest knocks again from this page, with the same companions, and waits in
   * the lobby. Only a page that has lost its session is sent back to the personal link.
   */
  async rejoin(): Promise<void> {
    const companions = this.live?.me.companions ?? [];
    if (!(await this.commands.enter(companions))) {
      const code = this.commands.error;
      if (code === 'UNAUTHENTICATED' || code === 'NOT_A_PARTICIPANT') {
        this.commands.clearError();
        this.rejoinByLink = true;
      }
      return;
    }
    this.rejoinByLink = false;
    if (!this.#channel.stopped) return;
    this.closedReason = null;
    this.live = null;
    this.#channel.start();
  }

  /**
   * The page shows the room; returns the undo. Media is joined only while it does: the room's
   * code loads after admission, and nobody is to be seen or heard before they can see that
   * and their controls (or at all, when that code fails to load).
   */
  showRoom(): () => void {
    this.#roomShown = true;
    if (this.live && !this.#channel.stopped) this.#syncMedia(this.live);
    return () => {
      this.#roomShown = false;
      if (this.live && !this.#channel.stopped) this.#syncMedia(this.live);
    };
  }

  /** The noise-suppression switch; the choice is kept for this tab and meeting. */
  async toggleNoiseSuppression(): Promise<void> {
    rememberNoiseSuppressionChoice(this.meetingId, await this.media.toggleNoiseSuppression());
  }

  /** Leaves for real: the server takes the person off the roster and out of the media. */
  leave(): void {
    this.#shutdown();
    this.status = 'closed';
    this.closedReason = 'left';
    void this.commands.leave();
  }

  /** Applies one validated message; a gap asks the channel for a fresh snapshot. */
  #onMessage(message: ServerMessage): 'ok' | 'resync' {
    const outcome = applyServerMessage(this.live, message);
    if (outcome.kind === 'gap') return 'resync';
    // The E2EE relay has something new: read it now rather than at the next poll.
    if (message.type === 'keys') this.media.pokeKeys();
    if (outcome.kind === 'unchanged') return 'ok';
    if (message.type === 'event') this.history.add(message);
    // In the room the snapshot carries the roster; then the log so far can be read.
    if (message.type === 'snapshot' && message.participants.length > 0) {
      void this.history.reload();
    }
    if (outcome.kind === 'duplicate') return 'ok';
    const before = this.live;
    this.live = outcome.state;
    // Encryption turned on or off: a fresh ticket, and the media joined again under the new rule.
    if (
      before !== null &&
      before.encrypted !== outcome.state.encrypted &&
      message.type === 'event'
    ) {
      this.#resync();
      return 'ok';
    }
    this.door.observe(
      before,
      outcome.state,
      message.type === 'event' ? decodeRoomEvent(message.event) : null,
      outcome.state.seq,
    );
    if (message.type === 'snapshot') {
      // A tab that lost the token it got at the knock (storage cleared) gets it back here.
      if (message.csrfToken) this.commands.useCsrfToken(message.csrfToken);
      // A claim sent while the channel was down is lost: claim again on each fresh channel.
      if (this.media.sid !== null) this.#send({ type: 'seat', sid: this.media.sid });
      if (this.#displacedUnsent && this.#send({ type: 'displaced' })) this.#displacedUnsent = false;
    }
    this.#syncMedia(outcome.state);
    return 'ok';
  }

  /**
   * Media follows the live state: joined while in the room with access and the room on screen
   * (its code fetched meanwhile), stopped otherwise.
   */
  #syncMedia(state: LiveState): void {
    this.media.setListeners(listenerIdentities(state.others));
    this.media.encrypted = state.encrypted;
    const access = isInRoom(state) && !state.ended ? state.media : null;
    if (access !== null && this.#roomShown) {
      this.media.startWithNoiseSuppression(
        noiseSuppressionChoiceFor(this.meetingId, isReflectingTeam(state.me.role)),
      );
      void this.media.join(access);
      return;
    }
    // Waiting in the lobby, or admitted with the room not yet on screen: the code is fetched
    // now, so that the admission's join does not wait for it.
    if (!state.ended) this.media.preload();
    if (this.media.status !== 'idle') void this.media.stop();
  }

  /** A fresh snapshot (and with it fresh media access), resuming from the last sequence. */
  #resync(): void {
    this.#channel.resync();
  }

  #shutdown(): void {
    this.#channel.stop();
    void this.media.stop();
    this.door.close();
  }
}
