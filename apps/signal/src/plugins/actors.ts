import type { GuestReader, LinkView, StaffSessionView } from '@polyphony/db';
import type { EndpointSpec } from '@polyphony/protocol';
import type { VerifiedWebhook } from './livekit-webhook.ts';

/** Who acts in a meeting: always a participant of it, reached by a guest or a staff session. */
export interface MeetingActor {
  readonly participantId: string;
  /** Set when a signed-in staff member acts as their participant. */
  readonly staffId: string | null;
  /** The guest session (device) acting; null for staff. The domain decides what it may do. */
  readonly device: string | null;
}

/** `operator` and `public` endpoints: nobody in particular. */
export interface AnonymousActor {
  readonly kind: 'anonymous';
}

/** `staff` and `admin` endpoints: the signed-in staff member's live session. */
export interface StaffActor {
  readonly kind: 'staff';
  readonly session: StaffSessionView;
  /** The SHA-256 of the session cookie's token (what the database knows it by). */
  readonly tokenHash: string;
  /** The session's CSRF token, derived again from the cookie (ADR 0007). */
  readonly csrfToken: string;
}

/** This browser's guest session of the meeting in the path. */
export interface GuestCaller extends GuestReader {
  readonly tokenHash: string;
  /** The session's CSRF token (derived, never stored). */
  readonly csrfToken: string;
}

/** `participant` endpoints: who calls in the meeting of the path. */
export interface MeetingCaller {
  readonly kind: 'participant';
  readonly meetingId: string;
  /** This meeting's guest session in this browser, if any. */
  readonly guest: GuestCaller | null;
  /** The signed-in staff member, if any. */
  readonly staff: StaffSessionView | null;
  /**
   * The participant acting: the guest session's, else the staff member's place in the meeting.
   * Null only on endpoints that let staff without a place through (`staffWithoutPlace`).
   */
  readonly participant: MeetingActor | null;
}

/** `link` endpoints: the usable link whose token is in the path. */
export interface LinkActor {
  readonly kind: 'link';
  readonly link: LinkView;
  /** This browser's guest session (of any link), if it has one: the same device keeps it. */
  readonly device: {
    readonly token: string;
    readonly participantId: string;
    readonly device: string;
  } | null;
}

/** `webhook` endpoints: LiveKit's verified notification. */
export interface WebhookActor {
  readonly kind: 'webhook';
  readonly event: VerifiedWebhook;
}

export type Actor = AnonymousActor | StaffActor | MeetingCaller | LinkActor | WebhookActor;

/** The actor a handler of endpoint `E` receives, by its access kind. */
export type ActorOf<E extends EndpointSpec> = E['access'] extends 'staff' | 'admin'
  ? StaffActor
  : E['access'] extends 'participant'
    ? E extends { readonly staffWithoutPlace: true }
      ? MeetingCaller
      : MeetingCaller & { readonly participant: MeetingActor }
    : E['access'] extends 'link'
      ? LinkActor
      : E['access'] extends 'webhook'
        ? WebhookActor
        : AnonymousActor;
