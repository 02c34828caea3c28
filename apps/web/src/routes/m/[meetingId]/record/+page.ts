import type { PageLoad } from './$types';

export const load: PageLoad = ({ params }) => ({ meetingId: params.meetingId });
