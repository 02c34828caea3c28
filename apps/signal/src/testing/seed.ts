import {
  appendEvents,
  hashToken,
  meetings,
  networks,
  newSecretToken,
  organisations,
  participants,
  type Db,
} from '@polyphony/db';
import type { MeetingRole, Mode } from '@polyphony/domain';

export interface SeedParticipant {
  readonly displayName: string;
  readonly role: MeetingRole;
}

export interface SeedInput {
  readonly participants: readonly SeedParticipant[];
  /** The meeting's mode (default dialogue). */
  readonly mode?: Mode;
}

export interface SeededParticipant {
  readonly participantId: string;
  readonly role: MeetingRole;
  readonly displayName: string;
  /** The `pp_guest` cookie value for this participant. */
  readonly sessionToken: string;
}

export interface SeedResult {
  readonly meetingId: string;
  readonly participants: readonly SeededParticipant[];
}

/**
 * Walking-skeleton fixture: an organisation, a network and a live immediate meeting whose
 * participants are already admitted (admission 1), each with a guest session, with the matching
 * events in the log. Test and benchmark use only; no HTTP route exposes it.
 */
export async function seedMeeting(db: Db, input: SeedInput): Promise<SeedResult> {
  return db.transaction(async (tx) => {
    const now = new Date();
    const mode = input.mode ?? 'dialogue';
    const [org] = await tx.insert(organisations).values({ name: 'Seed organisation' }).returning();
    const [network] = await tx
      .insert(networks)
      .values({ organisationId: org!.id, label: 'Seed network', firstContactAt: now })
      .returning();
    const [meeting] = await tx
      .insert(meetings)
      .values({ networkId: network!.id, state: 'live', mode, startedAt: now })
      .returning();
    const meetingId = meeting!.id;
    const seeded: SeededParticipant[] = [];
    for (const p of input.participants) {
      const sessionToken = newSecretToken();
      const [row] = await tx
        .insert(participants)
        .values({
          meetingId,
          role: p.role,
          displayName: p.displayName,
          state: 'admitted',
          admissionNumber: 1,
          guestSessionHash: hashToken(sessionToken),
          facilitatorApprovedAt: now,
          admittedAt: now,
        })
        .returning();
      seeded.push({
        participantId: row!.id,
        role: p.role,
        displayName: p.displayName,
        sessionToken,
      });
    }
    await appendEvents(tx, meetingId, [
      { type: 'meeting_started', payload: { mode } },
      ...seeded.map((p) => ({
        type: 'participant_admitted',
        payload: {
          participant: {
            participantId: p.participantId,
            displayName: p.displayName,
            role: p.role,
            companions: [],
          },
        },
      })),
    ]);
    return { meetingId, participants: seeded };
  });
}
