import { reconnectDelay } from './backoff.ts';
import { closeAction } from './close-codes.ts';
import type { ClientMessage } from '@polyphony/protocol';
import { DoorAlerts } from './door-alerts.svelte.ts';
import { decodeRoomEvent, encodeClientMessage, parseServerMessage } from './live-messages.ts';
import { applyServerMessage, isInRoom, type LiveState } from './live-state.ts';
import { liveUrl } from './live-url.ts';
import { cameraChoiceFor, microphoneChoiceFor } from './microphone-choice.ts';
import { listenerIdentities, remoteTiles, type RemoteTile } from './remote-tiles.ts';
import { RoomCommands } from './room-commands.svelte.ts';
import { RoomHistory } from './room-history.svelte.ts';
import { RoomMedia } from './room-media.svelte.ts';

export type LiveStatus = 'connecting' | 'connected' | 'reconnecting' | 'closed';
export type ClosedReason = 'not_in_meeting' | 'moved' | 'left' | 'error';

const PING_INTERVAL_MS = 25_000;
const SLOW_RETRY_ATTEMPT = 4;
const NORMAL_CLOSURE = 1000;
const CLOSE_RESUME = 4000;
const CLOSE_BAD_MESSAGE = 4400;

/**
 * One person's meeting session: the live channel (snapshot, events, resume with `?since`) and,
 * once admitted, the LiveKit media. The page renders its state and calls its methods.
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

  #socket: WebSocket | null = null;
  #attempt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #stopped = true;
  /** Set while reconnecting on purpose (for a fresh snapshot): no backoff, no status change. */
  #resyncing = false;
  /** Whether the room, with its controls to mute and leave, is on screen (see `showRoom`). */
  #roomShown = false;

  constructor(meetingId: string) {
    this.meetingId = meetingId;
    this.media.startWithMicrophone(microphoneChoiceFor(meetingId));
    this.media.startWithCamera(cameraChoiceFor(meetingId));
    this.commands = new RoomCommands(meetingId);
    this.history = new RoomHistory(meetingId);
    this.media.onLost = () => this.#resync();
    this.media.onSeat = (sid) => this.#send({ type: 'seat', sid });
    this.media.onDisplaced = () => {
      if (!this.#send({ type: 'displaced' })) this.#displacedUnsent = true;
    };
  }

  /** A displacement seen while the live channel was down, told once it is back. */
  #displacedUnsent = false;

  /** Sends on the live channel when it is open; false when it is not. */
  #send(message: ClientMessage): boolean {
    const socket = this.#socket;
    if (socket?.readyState !== WebSocket.OPEN) return false;
    socket.send(encodeClientMessage(message));
    return true;
  }

  /** Opens the live channel; returns the cleanup that ends everything. */
  start(): () => void {
    this.#stopped = false;
    this.closedReason = null;
    this.#attempt = 0;
    this.#open();
    const onOnline = (): void => this.#retryNow();
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
    if (!this.#stopped) return;
    this.#stopped = false;
    this.closedReason = null;
    this.live = null;
    this.#attempt = 0;
    this.#open();
  }

  /**
   * The page shows the room; returns the undo. Media is joined only while it does: the room's
   * code loads after admission, and nobody is to be seen or heard before they can see that
   * and their controls (or at all, when that code fails to load).
   */
  showRoom(): () => void {
    this.#roomShown = true;
    if (this.live && !this.#stopped) this.#syncMedia(this.live);
    return () => {
      this.#roomShown = false;
      if (this.live && !this.#stopped) this.#syncMedia(this.live);
    };
  }

  /** Leaves for real: the server takes the person off the roster and out of the media. */
  leave(): void {
    this.#shutdown();
    this.status = 'closed';
    this.closedReason = 'left';
    void this.commands.leave();
  }

  #open(): void {
    if (this.#stopped) return;
    if (!this.#resyncing) {
      this.status = this.live === null && this.#attempt === 0 ? 'connecting' : 'reconnecting';
    }
    this.#resyncing = false;
    const socket = new WebSocket(liveUrl(window.location, this.meetingId, this.live?.seq ?? null));
    this.#socket = socket;
    socket.onmessage = (event) => this.#onMessage(socket, event.data);
    socket.onclose = (event) => this.#onClose(socket, event.code);
  }

  #onMessage(socket: WebSocket, data: unknown): void {
    if (socket !== this.#socket) return;
    const message = parseServerMessage(data);
    if (message === null) {
      // Never act on unvalidated input; resume from the last good sequence instead.
      socket.close(CLOSE_BAD_MESSAGE, 'bad message');
      return;
    }
    const outcome = applyServerMessage(this.live, message);
    if (outcome.kind === 'gap') {
      this.#resync();
      return;
    }
    if (message.type === 'event') this.history.add(message);
    // In the room the snapshot carries the roster; then the log so far can be read.
    if (message.type === 'snapshot' && message.participants.length > 0) {
      void this.history.reload();
    }
    if (outcome.kind === 'duplicate') return;
    const before = this.live;
    this.live = outcome.state;
    this.door.observe(
      before,
      outcome.state,
      message.type === 'event' ? decodeRoomEvent(message.event) : null,
      outcome.state.seq,
    );
    if (message.type === 'snapshot') {
      // A tab that lost the token it got at the knock (storage cleared) gets it back here.
      if (message.csrfToken) this.commands.useCsrfToken(message.csrfToken);
      this.status = 'connected';
      this.#attempt = 0;
      this.#startPing(socket);
      // A claim sent while the channel was down is lost: claim again on each fresh channel.
      if (this.media.sid !== null) this.#send({ type: 'seat', sid: this.media.sid });
      if (this.#displacedUnsent && this.#send({ type: 'displaced' })) this.#displacedUnsent = false;
    }
    this.#syncMedia(outcome.state);
  }

  /**
   * Media follows the live state: joined while in the room with access and the room on screen
   * (its code fetched meanwhile), stopped otherwise.
   */
  #syncMedia(state: LiveState): void {
    this.media.setListeners(listenerIdentities(state.others));
    const access = isInRoom(state) && !state.ended ? state.media : null;
    if (access !== null && this.#roomShown) {
      void this.media.join(access);
      return;
    }
    if (access !== null) this.media.preload();
    if (this.media.status !== 'idle') void this.media.stop();
  }

  /** A fresh snapshot (and with it fresh media access), resuming from the last sequence. */
  #resync(): void {
    const socket = this.#socket;
    if (this.#stopped || socket === null) return;
    this.#resyncing = true;
    socket.close(CLOSE_RESUME, 'resume');
  }

  #onClose(socket: WebSocket, code: number): void {
    if (socket !== this.#socket) return;
    this.#socket = null;
    this.#stopPing();
    if (this.#stopped) return;
    if (this.#resyncing) {
      this.#open();
      return;
    }
    const action = closeAction(code);
    if (action === 'not_in_meeting' || action === 'moved' || action === 'fatal') {
      this.#shutdown();
      this.status = 'closed';
      this.closedReason = action === 'fatal' ? 'error' : action;
      return;
    }
    if (action === 'retry_slowly') this.#attempt = Math.max(this.#attempt, SLOW_RETRY_ATTEMPT);
    this.status = 'reconnecting';
    const delay = reconnectDelay(this.#attempt);
    this.#attempt += 1;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#open();
    }, delay);
  }

  #retryNow(): void {
    if (this.#stopped || this.#retryTimer === undefined) return;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#open();
  }

  #startPing(socket: WebSocket): void {
    this.#stopPing();
    this.#pingTimer = setInterval(() => {
      if (socket.readyState === WebSocket.OPEN) socket.send(encodeClientMessage({ type: 'ping' }));
    }, PING_INTERVAL_MS);
  }

  #stopPing(): void {
    clearInterval(this.#pingTimer);
    this.#pingTimer = undefined;
  }

  #shutdown(): void {
    this.#stopped = true;
    this.#resyncing = false;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#stopPing();
    const socket = this.#socket;
    this.#socket = null;
    socket?.close(NORMAL_CLOSURE, 'leaving');
    void this.media.stop();
    this.door.close();
  }
}
