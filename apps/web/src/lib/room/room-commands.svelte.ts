import type { Mode } from '@polyphony/domain';
import type { CutoffPlanInput, ErrorCode, RecordRequest } from '@polyphony/protocol';
import { isMeResponse } from 'virtual:checks';
import { addRecordEntry } from '$lib/api/record.ts';
import type { ApiResult } from '$lib/api/client.ts';
import { callEndpoint } from '$lib/api/endpoints.ts';
import {
  endMeeting,
  enterMeeting,
  leaveMeeting,
  participantCommand,
  setEncryption,
  switchMode,
  updateMe,
  type ParticipantCommand,
} from '$lib/api/meeting.ts';
import { csrfTokenFor, rememberCsrfToken } from './csrf.ts';

/** The `seq` of a command's answer (`{ seq }`), when it has one. */
function committedSeq(value: unknown): number | null {
  const seq = (value as { seq?: unknown } | null)?.seq;
  return typeof seq === 'number' && Number.isInteger(seq) ? seq : null;
}

/**
 * The commands a person can give in the room. One at a time per key; the outcome arrives on
 * the live channel, so success only clears the pending mark. Failures keep their code for the UI.
 */
export class RoomCommands {
  readonly #meetingId: string;
  readonly #fetcher: typeof fetch | undefined;
  /** Keys of commands in flight, e.g. `admit:<participant id>` or `mode`. */
  pending = $state.raw<readonly string[]>([]);
  error = $state<ErrorCode | null>(null);
  #csrf: string | null = null;
  /** Told the sequence number a command committed (its events follow on the live channel). */
  onCommitted: (seq: number) => void = () => {};
  /** The guest session's token as the live channel last handed it over. */
  #liveCsrf: string | null = null;

  constructor(meetingId: string, fetcher?: typeof fetch) {
    this.#meetingId = meetingId;
    this.#fetcher = fetcher;
  }

  isPending(key: string): boolean {
    return this.pending.includes(key);
  }

  participant(command: ParticipantCommand, participantId: string): Promise<boolean> {
    return this.#run(`${command}:${participantId}`, (csrf) =>
      participantCommand(this.#meetingId, participantId, command, csrf, this.#fetcher),
    );
  }

  setCompanions(companions: readonly string[]): Promise<boolean> {
    return this.#run('companions', (csrf) =>
      updateMe(this.#meetingId, { companions: [...companions] }, csrf, this.#fetcher),
    );
  }

  /** One's own "if we get cut off" plan (two empty fields clear it). */
  setPlan(plan: CutoffPlanInput): Promise<boolean> {
    return this.#run('plan', (csrf) =>
      updateMe(this.#meetingId, { plan: { ...plan } }, csrf, this.#fetcher),
    );
  }

  wishToRespond(): Promise<boolean> {
    return this.#run('wish', (csrf) =>
      updateMe(this.#meetingId, { wishToRespond: true }, csrf, this.#fetcher),
    );
  }

  /** Turns the meeting's end-to-end encryption on or off (facilitators, cofacilitators). */
  setEncryption(on: boolean): Promise<boolean> {
    return this.#run('encryption', (csrf) =>
      setEncryption(this.#meetingId, on, csrf, this.#fetcher),
    );
  }

  switchMode(mode: Mode): Promise<boolean> {
    return this.#run('mode', (csrf) => switchMode(this.#meetingId, mode, csrf, this.#fetcher));
  }

  /** Writes one entry in the shared record (facilitators); it comes back on the live channel. */
  addRecord(entry: RecordRequest): Promise<boolean> {
    return this.#run('record', (csrf) =>
      addRecordEntry(this.#meetingId, entry, csrf, this.#fetcher),
    );
  }

  /** Leave the meeting: the server takes the person off the roster and out of the media. */
  leave(): Promise<boolean> {
    return this.#run('leave', (csrf) => leaveMeeting(this.#meetingId, csrf, this.#fetcher));
  }

  /** Staff enter (again); a guest knocks again from this page, with who is with them. */
  enter(companions: readonly string[] = []): Promise<boolean> {
    return this.#run('enter', (csrf) =>
      enterMeeting(this.#meetingId, companions, csrf, this.#fetcher),
    );
  }

  /**
   * Ends the meeting for everyone. With the agreed next meeting's time (ISO), that time is
   * written in the shared record first; if it cannot be, the meeting is not ended.
   */
  async end(nextMeetingAt: string | null = null): Promise<boolean> {
    if (nextMeetingAt !== null) {
      const written = await this.addRecord({
        entryId: crypto.randomUUID(),
        kind: 'next_meeting',
        text: '',
        meetingAt: nextMeetingAt,
      });
      if (!written) return false;
    }
    return this.#run('end', (csrf) => endMeeting(this.#meetingId, csrf, this.#fetcher));
  }

  /** The guest session's token as the live channel's snapshot hands it over (kept for reloads). */
  useCsrfToken(token: string): void {
    this.#liveCsrf = token;
    this.#csrf = token;
    rememberCsrfToken(this.#meetingId, token);
  }

  /** The token state changes carry (for calls made outside the commands, e.g. the key relay). */
  csrfToken(): Promise<string | null> {
    return this.#csrfToken();
  }

  clearError(): void {
    this.error = null;
  }

  async #run(
    key: string,
    call: (csrf: string | null) => Promise<ApiResult<unknown>>,
  ): Promise<boolean> {
    if (this.pending.includes(key)) return false;
    this.pending = [...this.pending, key];
    this.error = null;
    try {
      let result = await call(await this.#csrfToken());
      if (!result.ok && result.code === 'CSRF_FAILED') {
        // A staff session's token may have changed (signed in again): fetch it once more.
        this.#csrf = null;
        result = await call(await this.#csrfToken(true));
      }
      if (!result.ok) this.error = result.code;
      else if (committedSeq(result.value) !== null) this.onCommitted(committedSeq(result.value)!);
      return result.ok;
    } finally {
      this.pending = this.pending.filter((k) => k !== key);
    }
  }

  /** The guest session's token from joining, else a signed-in staff member's. */
  async #csrfToken(fresh = false): Promise<string | null> {
    if (this.#csrf !== null && !fresh) return this.#csrf;
    const stored = fresh ? null : csrfTokenFor(this.#meetingId);
    if (stored !== null) return (this.#csrf = stored);
    const me = await callEndpoint('me', {}, isMeResponse, { fetcher: this.#fetcher });
    // A guest has no staff session: the live channel's token is theirs.
    this.#csrf = me.ok ? me.value.csrfToken : this.#liveCsrf;
    return this.#csrf;
  }
}
