import { redirect } from '@sveltejs/kit';
import { resolve } from '$app/paths';
import { staffApi } from '$lib/api/staff.ts';
import type { PageLoad } from './$types';

/** An empty database goes to first-run setup; someone already signed in goes to the dashboard. */
export const load: PageLoad = async () => {
  const setup = await staffApi.setupStatus();
  if (setup.ok && setup.value.needed) redirect(303, resolve('/staff/setup'));
  const me = await staffApi.me();
  if (me.ok) redirect(303, resolve('/staff'));
  return {};
};
