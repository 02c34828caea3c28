import { staffApi } from '$lib/api/staff.ts';
import { loaded } from '$lib/api/staff-outcome.ts';
import type { LayoutLoad } from './$types';

/** Every page here needs a signed-in staff member; without one, `loaded` goes to sign-in. */
export const load: LayoutLoad = async () => ({ me: loaded(await staffApi.me()) });
