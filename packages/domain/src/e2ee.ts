// End-to-end encryption bound to consent (ADR 0035): who may hold device keys in a meeting,
// whose public keys they may read, and to whom they may send a wrapped media key. The server
// relays; these rules say what it relays. Media keys themselves never reach the server.
import { currentIdentities, currentIdentity } from './media-identity.ts';
import { findParticipant, type MeetingState, type Participant } from './meeting-state.ts';

/**
 * The participant acting for their current admission, or null. `device` is the guest session
 * acting (null for staff): only the device that holds the seat holds its keys.
 */
function seated(
  state: MeetingState,
  participantId: string,
  device: string | null,
): Participant | null {
  const participant = findParticipant(state, participantId);
  if (participant === undefined || currentIdentity(participant) === null) return null;
  return participant.device === device ? participant : null;
}

/**
 * Whether this device may post the public device key of admission `admissionNumber`: only the
 * seated device, for the admission it holds now. A new admission means a new key pair; an old
 * admission's key can never be posted again.
 */
export function mayPostDeviceKey(
  state: MeetingState,
  participantId: string,
  device: string | null,
  admissionNumber: number,
): boolean {
  return seated(state, participantId, device)?.admissionNumber === admissionNumber;
}

/**
 * The identities whose device keys (and wrapped media keys addressed to whom) this device may
 * read: everyone admitted now, when it holds a seat itself; null when it does not.
 */
export function keyHoldersVisibleTo(
  state: MeetingState,
  participantId: string,
  device: string | null,
): { readonly me: string; readonly holders: readonly string[] } | null {
  const me = seated(state, participantId, device);
  if (me === null) return null;
  return { me: currentIdentity(me)!, holders: currentIdentities(state) };
}

/**
 * To whom a seated sender may send a wrapped copy of its media key: the identities among
 * `recipients` that are admitted now, other than the sender. A copy for anyone else (gone,
 * never admitted, an old admission) is dropped, never stored. Null when the sender holds no seat.
 */
export function wrappedKeyRecipients(
  state: MeetingState,
  participantId: string,
  device: string | null,
  recipients: readonly string[],
): { readonly sender: string; readonly allowed: readonly string[] } | null {
  const sender = seated(state, participantId, device);
  if (sender === null) return null;
  const me = currentIdentity(sender)!;
  const current = new Set(currentIdentities(state));
  const allowed = recipients.filter((identity) => identity !== me && current.has(identity));
  return { sender: me, allowed: [...new Set(allowed)] };
}

/**
 * Whether a seated device (admission `admissionNumber`) may ask `from` to wrap its current
 * media key for it again ("resend keys"): only for the admission it holds now, and only of
 * someone else admitted now. Returns both identities, or null. A request can only ever make a
 * sender send to someone it would send to anyway.
 */
export function keyResendRequest(
  state: MeetingState,
  participantId: string,
  device: string | null,
  admissionNumber: number,
  from: string,
): { readonly requester: string; readonly sender: string } | null {
  const me = seated(state, participantId, device);
  if (me === null || me.admissionNumber !== admissionNumber) return null;
  const requester = currentIdentity(me)!;
  if (from === requester || !currentIdentities(state).includes(from)) return null;
  return { requester, sender: from };
}
