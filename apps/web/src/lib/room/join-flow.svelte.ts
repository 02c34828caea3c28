import type { InvitePreview, ErrorCode } from '@polyphony/protocol';
import { getInvite, joinMeeting } from '$lib/api/invite.ts';
import {
  addCompanion,
  removeCompanion,
  withTypedCompanion,
  type AddCompanionResult,
  type CompanionProblem,
} from './companion-list.ts';
import { rememberCsrfToken } from './csrf.ts';
import { rememberMicrophoneChoice } from './microphone-choice.ts';

export type JoinStatus = 'loading' | 'ready' | 'link_problem' | 'ended' | 'error';

/** Codes that mean "this link cannot be used", shown as one kind page whatever the cause. */
const LINK_PROBLEMS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'LINK_INVALID',
  'LINK_REVOKED',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_REQUEST',
  'VALIDATION_FAILED',
]);

/** The pre-join page: reads the invitation, holds the form, knocks. */
export class JoinFlow {
  readonly #token: string;
  status = $state<JoinStatus>('loading');
  preview = $state.raw<InvitePreview | null>(null);
  displayName = $state('');
  companions = $state.raw<readonly string[]>([]);
  /** A companion's name typed but not (yet) added: Join adds it. */
  companionDraft = $state('');
  companionProblem = $state<CompanionProblem | null>(null);
  /** The optional "if we get cut off" plan: who controls this device, how to reach them. */
  planControlledBy = $state('');
  planReachBy = $state('');
  submitting = $state(false);
  error = $state<ErrorCode | null>(null);
  nameMissing = $state(false);
  /** Join with the microphone on (the default) or muted; the room honours it until changed. */
  microphoneOn = $state(true);
  /** After the end: the meeting whose record this link may still read (a read-only session). */
  recordMeetingId = $state<string | null>(null);
  /** Whom to ask for a new link when this one cannot be used (the organisation's contact). */
  contact = $state<string | null>(null);

  constructor(token: string) {
    this.#token = token;
  }

  async load(fetcher?: typeof fetch): Promise<void> {
    const result = await getInvite(this.#token, fetcher);
    if (!result.ok) {
      this.error = result.code;
      this.contact = result.contact ?? null;
      this.status = LINK_PROBLEMS.has(result.code) ? 'link_problem' : 'error';
      return;
    }
    this.preview = result.value;
    this.displayName = result.value.suggestedName;
    this.status = result.value.meeting.state === 'ended' ? 'ended' : 'ready';
    if (this.status === 'ended') await this.#openRecord(fetcher);
  }

  /** After the end, asks for a read-only session; the server decides whether this link has one. */
  async #openRecord(fetcher?: typeof fetch): Promise<void> {
    const displayName = this.displayName.trim();
    if (displayName === '') return;
    const result = await joinMeeting(this.#token, { displayName, companions: [] }, fetcher);
    if (result.ok) this.#readOnly(result.value.meetingId, result.value.csrfToken);
  }

  #readOnly(meetingId: string, csrfToken: string): void {
    rememberCsrfToken(meetingId, csrfToken);
    this.recordMeetingId = meetingId;
    this.status = 'ended';
  }

  addCompanion(name: string): AddCompanionResult {
    const result = addCompanion(this.companions, name);
    if (result.ok) this.companions = result.list;
    return result;
  }

  removeCompanion(name: string): void {
    this.companions = removeCompanion(this.companions, name);
  }

  /** The plan to send: absent when both fields are empty (nothing declared). */
  #plan(): { plan?: { controlledBy: string; reachBy: string } } {
    const controlledBy = this.planControlledBy.trim();
    const reachBy = this.planReachBy.trim();
    return controlledBy === '' && reachBy === '' ? {} : { plan: { controlledBy, reachBy } };
  }

  /** Knocks; on success returns the meeting to open (the token is done with). */
  async join(fetcher?: typeof fetch): Promise<string | null> {
    const displayName = this.displayName.trim();
    this.nameMissing = displayName === '';
    if (this.submitting) return null;
    const declared = withTypedCompanion(this.companions, this.companionDraft);
    if (!declared.ok) this.companionProblem = declared.problem;
    if (this.nameMissing || !declared.ok) return null;
    this.companions = declared.list;
    this.companionDraft = '';
    this.companionProblem = null;
    this.submitting = true;
    this.error = null;
    const result = await joinMeeting(
      this.#token,
      { displayName, companions: [...this.companions], ...this.#plan() },
      fetcher,
    );
    this.submitting = false;
    if (!result.ok) {
      this.error = result.code;
      if (result.code === 'MEETING_ENDED') this.status = 'ended';
      else if (result.code === 'LINK_INVALID' || result.code === 'LINK_REVOKED') {
        this.contact = result.contact ?? null;
        this.status = 'link_problem';
      }
      return null;
    }
    if (result.value.readOnly) {
      this.#readOnly(result.value.meetingId, result.value.csrfToken);
      return null;
    }
    rememberCsrfToken(result.value.meetingId, result.value.csrfToken);
    rememberMicrophoneChoice(result.value.meetingId, this.microphoneOn);
    return result.value.meetingId;
  }
}
