import { error } from '@sveltejs/kit';
import { staffApi } from '$lib/api/staff.ts';
import { loaded } from '$lib/api/staff-outcome.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent }) => {
  const { me } = await parent();
  if (me.staff.role !== 'admin') error(403, 'FORBIDDEN');
  return {
    staff: loaded(await staffApi.listStaff()).staff,
    contact: me.organisation.contact,
  };
};
