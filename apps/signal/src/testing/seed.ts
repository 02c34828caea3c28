import {
  appendEvents,
  hashToken,
  meetings,
  networks,
  newSecretToken,
  organisations,
  guestSessions,
  participants,
  type Db,
} from '@polyphony/db';
import {
  ADMISSION_RULE,
  isReflectingTeam,
  type AdmissionBasis,
  type MeetingEvent,
  type MeetingRole,
  type Mode,
} from '@polyphony/domain';

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

const SEED_STAFF = 'seed';

/**
 * Walking-skeleton fixture: an organisation, a network and a live immediate meeting whose
 * participants are already admitted (admission 1), each with a guest session, and the log of
 * domain events that `replay` folds into that same state. Tests and benchmarks only; no HTTP
 * route exposes it.
 */
export async function seedMeeting(db: Db, input: SeedInput): Promise<SeedResult> {
  return db.transaction(async (tx) => {
    const now = new Date();
    const at = now.getTime();
    const mode = input.mode ?? 'dialogue';
    const [org] = await tx.insert(organisations).values({ name: 'Seed organisation' }).returning();
    const [network] = await tx
      .insert(networks)
      .values({ organisationId: org!.id, label: 'Seed network', firstContactAt: now })
      .returning();
    const [meeting] = await tx
      .insert(meetings)
      // Seeded meetings run without end-to-end encryption: seeded sessions reach media without
      // the knock and seat claim the key relay checks, and the E2EE key exchange never
      // completed for them (walking-skeleton: no media at all). To be looked at; E2EE media is
      // tested through real admissions in e2ee*.e2e.test.ts.
      .values({
        networkId: network!.id,
        state: 'live',
        mode,
        startedAt: now,
        settings: { networkCamerasInReflection: true, endToEndEncrypted: false },
      })
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
          facilitatorApprovedAt: now,
          admittedAt: now,
        })
        .returning();
      await tx
        .insert(guestSessions)
        .values({ participantId: row!.id, tokenHash: hashToken(sessionToken) });
      seeded.push({
        participantId: row!.id,
        role: p.role,
        displayName: p.displayName,
        sessionToken,
      });
    }
    await appendEvents(tx, meetingId, seedEvents(seeded, mode, at));
    return { meetingId, participants: seeded };
  });
}

/** The log of a meeting where everyone was invited, knocked and was let in by the rules. */
function seedEvents(seeded: readonly SeededParticipant[], mode: Mode, at: number): MeetingEvent[] {
  const host = seeded.find((p) => isReflectingTeam(p.role))?.participantId ?? SEED_STAFF;
  const centre = seeded.find((p) => p.role === 'centre')?.participantId;
  const events: MeetingEvent[] = [];
  for (const p of seeded) {
    const participantId = p.participantId;
    const rule = ADMISSION_RULE[p.role];
    const basis: AdmissionBasis = rule === 'two_keys' && !centre ? 'no_centre_person' : rule;
    events.push(
      { type: 'participant.invited', participantId, role: p.role, by: SEED_STAFF, at },
      { type: 'participant.joined_lobby', participantId, companions: [], at },
    );
    if (rule !== 'core_team')
      events.push({ type: 'admission.approved', participantId, by: host, at });
    if (basis === 'two_keys' && centre) {
      events.push({
        type: 'consent.given',
        participantId,
        by: centre,
        kind: 'live',
        companions: [],
        at,
      });
    }
    events.push({ type: 'participant.admitted', participantId, admissionNumber: 1, basis, at });
  }
  events.push({ type: 'meeting.started', by: host, at });
  if (mode !== 'dialogue')
    events.push({ type: 'mode.changed', mode, by: host, respondOrder: [], at });
  return events;
}
