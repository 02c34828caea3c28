import type { FastifyPluginAsync } from 'fastify';
import {
  copiesTaken,
  deviceKeysOf,
  mailboxOf,
  putDeviceKey,
  putResendRequest,
  putWrappedKeys,
  resendRequestsFor,
  takeMailbox,
} from '@polyphony/db';
import {
  keyHoldersVisibleTo,
  keyResendRequest,
  mayPostDeviceKey,
  mediaIdentity,
  parseMediaIdentity,
  wrappedKeyRecipients,
} from '@polyphony/domain';
import { AppError } from '../../app-error.ts';
import type { MeetingActor } from '../../plugins/actors.ts';
import { endpoint } from '../endpoint.ts';

const NOT_SEATED = 'Keys are for the device that holds a seat in the room.';

/** The participants behind these media identities: whom a nudge concerns. */
const participantsOf = (identities: readonly string[]): string[] => [
  ...new Set(identities.flatMap((i) => parseMediaIdentity(i)?.participantId ?? [])),
];

/**
 * End-to-end encryption's relay (ADR 0035): device public keys and wrapped media keys, each
 * let through by the domain's rules on the meeting's latest committed state. The server never
 * sees a media key; nothing of these bodies is logged. Each write nudges those whose read it
 * changes over the live channel (a `keys` frame with no content), committed with it: a device
 * key everyone in the room, a wrapped copy its recipients, a copy taken its sender, a request to
 * resend the sender asked. Nudging the whole room on every write made each member read again
 * for every copy anyone sent or took (ADR 0035, 2026-12-05).
 */
const e2eeRoutes: FastifyPluginAsync = async (app) => {
  const stateOf = async (meetingId: string) => {
    const latest = await app.commands.states.latest(app.database.db, meetingId);
    if (!latest) throw new AppError('NOT_FOUND', 'No such meeting.');
    return latest.state;
  };
  const participantOf = (actor: MeetingActor | null): MeetingActor => {
    if (!actor) throw new AppError('NOT_ADMITTED', NOT_SEATED);
    return actor;
  };

  endpoint(app, 'postDeviceKey', async (request) => {
    const actor = participantOf(request.actor.participant);
    const { meetingId } = request.actor;
    const { admission, curve, publicKey } = request.body;
    const state = await stateOf(meetingId);
    if (!mayPostDeviceKey(state, actor.participantId, actor.device, admission)) {
      throw new AppError('NOT_ADMITTED', NOT_SEATED);
    }
    // A new key pair for the same admission (a reload, a media rejoin) replaces the old one:
    // the others see the new key, rotate to it, and the security code changes.
    await app.database.db.transaction(async (tx) => {
      await putDeviceKey(tx, meetingId, actor.participantId, admission, { curve, publicKey });
      await app.hub.announceKeys(tx, meetingId, null);
    });
    app.hub.publishKeys(meetingId, null);
    return { identity: mediaIdentity(actor.participantId, admission) };
  });

  endpoint(app, 'e2eeKeys', async (request, reply) => {
    const actor = participantOf(request.actor.participant);
    const { meetingId } = request.actor;
    const visible = keyHoldersVisibleTo(
      await stateOf(meetingId),
      actor.participantId,
      actor.device,
    );
    if (!visible) throw new AppError('NOT_ADMITTED', NOT_SEATED);
    const db = app.database.db;
    const [keys, box, resend, taken] = await Promise.all([
      deviceKeysOf(db, meetingId, visible.holders),
      mailboxOf(db, meetingId, visible.me, visible.holders),
      resendRequestsFor(db, meetingId, visible.me, visible.holders),
      copiesTaken(db, meetingId, visible.me, visible.holders),
    ]);
    // The copies handed over now are taken: their senders hear it (the nudge) and may switch
    // to the new key before the fallback delay. A copy is taken once, so this settles.
    // Written only when something is new: most reads hand over nothing new.
    const untaken = box.filter((m) => !m.taken);
    if (untaken.length > 0) {
      const senders = participantsOf(untaken.map((m) => m.sender));
      const fresh = await db.transaction(async (tx) => {
        const any = await takeMailbox(tx, meetingId, visible.me, untaken);
        if (any) await app.hub.announceKeys(tx, meetingId, senders);
        return any;
      });
      if (fresh) app.hub.publishKeys(meetingId, senders);
    }
    const mailbox = box.map(({ taken: _taken, ...entry }) => entry);
    reply.header('cache-control', 'no-store');
    return { me: visible.me, keys, mailbox, resend, taken };
  });

  endpoint(app, 'sendWrappedKeys', async (request) => {
    const actor = participantOf(request.actor.participant);
    const { meetingId } = request.actor;
    const { admission, generation, keyIndex, copies } = request.body;
    if (new Set(copies.map((c) => c.to)).size !== copies.length) {
      throw new AppError('INVALID_INPUT', 'One wrapped copy per recipient.');
    }
    const state = await stateOf(meetingId);
    const to = wrappedKeyRecipients(
      state,
      actor.participantId,
      actor.device,
      copies.map((c) => c.to),
    );
    if (!to || to.sender !== mediaIdentity(actor.participantId, admission)) {
      throw new AppError('NOT_ADMITTED', NOT_SEATED);
    }
    const allowed = new Set(to.allowed);
    const kept = copies.filter((c) => allowed.has(c.to));
    const recipients = participantsOf(kept.map((c) => c.to));
    await app.database.db.transaction(async (tx) => {
      await putWrappedKeys(tx, meetingId, to.sender, generation, keyIndex, kept);
      await app.hub.announceKeys(tx, meetingId, recipients);
    });
    app.hub.publishKeys(meetingId, recipients);
    return { delivered: kept.map((c) => c.to) };
  });

  endpoint(app, 'requestKeyResend', async (request) => {
    const actor = participantOf(request.actor.participant);
    const { meetingId } = request.actor;
    const { admission, from } = request.body;
    const asked = keyResendRequest(
      await stateOf(meetingId),
      actor.participantId,
      actor.device,
      admission,
      from,
    );
    if (!asked) throw new AppError('NOT_ADMITTED', NOT_SEATED);
    const sender = participantsOf([asked.sender]);
    await app.database.db.transaction(async (tx) => {
      await putResendRequest(tx, meetingId, asked.sender, asked.requester);
      await app.hub.announceKeys(tx, meetingId, sender);
    });
    app.hub.publishKeys(meetingId, sender);
    return { from: asked.sender };
  });
};

export default e2eeRoutes;
