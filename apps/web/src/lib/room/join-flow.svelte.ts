import type { InvitePreview, ErrorCode } from '@polyphony/protocol';
import { getInvite, joinMeeting } from '$lib/api/invite.ts';
import { addCompanion, removeCompanion, type AddCompanionResult } from './companion-list.ts';
import { rememberCsrfToken } from './csrf.ts';

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
  submitting = $state(false);
  error = $state<ErrorCode | null>(null);
  nameMissing = $state(false);

  constructor(token: string) {
    this.#token = token;
  }

  async load(fetcher?: typeof fetch): Promise<void> {
    const result = await getInvite(this.#token, fetcher);
    if (!result.ok) {
      this.error = result.code;
      this.status = LINK_PROBLEMS.has(result.code) ? 'link_problem' : 'error';
      return;
    }
    this.preview = result.value;
    this.displayName = result.value.suggestedName;
    this.status = result.value.meeting.state === 'ended' ? 'ended' : 'ready';
  }

  addCompanion(name: string): AddCompanionResult {
    const result = addCompanion(this.companions, name);
    if (result.ok) this.companions = result.list;
    return result;
  }

  removeCompanion(name: string): void {
    this.companions = removeCompanion(this.companions, name);
  }

  /** Knocks; on success returns the meeting to open (the token is done with). */
  async join(fetcher?: typeof fetch): Promise<string | null> {
    const displayName = this.displayName.trim();
    this.nameMissing = displayName === '';
    if (this.nameMissing || this.submitting) return null;
    this.submitting = true;
    this.error = null;
    const result = await joinMeeting(
      this.#token,
      { displayName, companions: [...this.companions] },
      fetcher,
    );
    this.submitting = false;
    if (!result.ok) {
      this.error = result.code;
      if (result.code === 'MEETING_ENDED') this.status = 'ended';
      else if (result.code === 'LINK_INVALID' || result.code === 'LINK_REVOKED')
        this.status = 'link_problem';
      return null;
    }
    rememberCsrfToken(result.value.meetingId, result.value.csrfToken);
    return result.value.meetingId;
  }
}
