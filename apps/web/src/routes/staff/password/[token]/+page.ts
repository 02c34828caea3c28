import { staffApi } from '$lib/api/staff.ts';
import type { PageLoad } from './$types';

/** A one-time setup link an admin sent: whose account it is for, or that it no longer works. */
export const load: PageLoad = async ({ params }) => {
  const preview = await staffApi.setupLinkPreview(params.token);
  return {
    token: params.token,
    preview: preview.ok ? preview.value : null,
    code: preview.ok ? null : preview.code,
  };
};
