import { staffApi } from '$lib/api/staff.ts';
import { loaded } from '$lib/api/staff-outcome.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async () => {
  const [networks, live, upcoming] = await Promise.all([
    staffApi.listNetworks(),
    staffApi.meetings('live'),
    staffApi.meetings('upcoming'),
  ]);
  return {
    networks: loaded(networks).networks,
    live: loaded(live).meetings,
    upcoming: loaded(upcoming).meetings,
    now: Date.now(),
  };
};
