import { mayManageStaff } from '@polyphony/domain';
import { staffApi } from '$lib/api/staff.ts';
import { loaded } from '$lib/api/staff-outcome.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, parent }) => {
  const { me } = await parent();
  const network = loaded(await staffApi.network(params.id));
  // Names for "pre-approval recorded by": the core team and the directory (admins: all staff,
  // including disabled accounts).
  const names = new Map(network.coreTeam.map((t) => [t.staffId, t.displayName]));
  names.set(me.staff.id, me.staff.displayName);
  const staff = await (mayManageStaff(me.staff.role) ? staffApi.listStaff() : staffApi.directory());
  if (staff.ok) for (const s of staff.value.staff) names.set(s.id, s.displayName);
  const directory = await staffApi.directory();
  return {
    network,
    staffNames: Object.fromEntries(names),
    directory: directory.ok ? directory.value.staff : [],
    now: Date.now(),
  };
};
