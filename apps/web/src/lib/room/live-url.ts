import { endpointPath } from '$lib/api/endpoints.ts';

/** The live channel's URL on this origin; `since` resumes after the last sequence seen. */
export function liveUrl(
  location: Pick<Location, 'protocol' | 'host'>,
  meetingId: string,
  since: number | null,
): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const query = since === null ? {} : { since: String(since) };
  return `${scheme}//${location.host}${endpointPath('live', { params: { id: meetingId }, query })}`;
}
