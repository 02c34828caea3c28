import { staffApi } from '$lib/api/staff.ts';
import { loaded } from '$lib/api/staff-outcome.ts';
import type { PageLoad } from './$types';

/** The core team is picked from the organisation's staff directory (any staff member may read it). */
export const load: PageLoad = async () => {
  const { staff } = loaded(await staffApi.directory());
  return { staff, now: Date.now() };
};
