import { redirect } from '@sveltejs/kit';
import { resolve } from '$app/paths';
import { staffApi } from '$lib/api/staff.ts';
import type { PageLoad } from './$types';

/** Setup is for an empty database only; afterwards this page sends people to sign in. */
export const load: PageLoad = async () => {
  const setup = await staffApi.setupStatus();
  if (setup.ok && !setup.value.needed) redirect(303, resolve('/staff/sign-in'));
  return { unavailable: setup.ok ? null : setup.code };
};
