import type { MeResponse } from '@polyphony/protocol';
import type { StaffIdentity } from '@polyphony/db';

export function toStaffMember(s: StaffIdentity): MeResponse['staff'] {
  return { id: s.id, displayName: s.displayName, email: s.email, role: s.role };
}

export function meResponse(
  staff: StaffIdentity,
  organisation: { id: string; name: string; contact: string | null },
  csrfToken: string,
): MeResponse {
  return {
    staff: toStaffMember(staff),
    organisation: { id: organisation.id, name: organisation.name, contact: organisation.contact },
    csrfToken,
  };
}
