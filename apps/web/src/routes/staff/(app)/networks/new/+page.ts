import type { StaffMember } from '@polyphony/protocol';
import { staffApi } from '$lib/api/staff.ts';
import { loaded } from '$lib/api/staff-outcome.ts';
import type { PageLoad } from './$types';

/**
 * The core team is picked from the organisation's staff. Only admins may list staff
 * (`GET /api/staff`); anyone else sees just themselves.
 */
export const load: PageLoad = async ({ parent }) => {
  const { me } = await parent();
  const staff: StaffMember[] =
    me.staff.role === 'admin' ? loaded(await staffApi.listStaff()).staff : [me.staff];
  return { staff, now: Date.now() };
};
