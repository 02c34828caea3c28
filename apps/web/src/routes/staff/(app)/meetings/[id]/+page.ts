import { staffApi } from '$lib/api/staff.ts';
import { loaded } from '$lib/api/staff-outcome.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params }) => {
  const detail = loaded(await staffApi.meeting(params.id));
  const network = loaded(await staffApi.network(detail.meeting.networkId));
  return { detail, network, now: Date.now() };
};
