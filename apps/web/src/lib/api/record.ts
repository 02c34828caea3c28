import type { RecordRequest } from '@polyphony/protocol';
import { isCommandResponse, isRecordResponse, isTimelineResponse } from 'virtual:checks';
import { callApi } from './client.ts';

/** `POST /api/meetings/:id/record` (facilitators and cofacilitators). */
export const addRecordEntry = (
  meetingId: string,
  body: RecordRequest,
  csrfToken: string | null,
  fetcher?: typeof fetch,
) =>
  callApi(
    {
      method: 'POST',
      path: `/api/meetings/${meetingId}/record`,
      body,
      headers: csrfToken ? { 'x-csrf-token': csrfToken } : {},
      response: isCommandResponse,
    },
    fetcher,
  );

/** `GET /api/meetings/:id/record`: the shared record and the agreed next meeting. */
export const getRecord = (meetingId: string, fetcher?: typeof fetch) =>
  callApi({ path: `/api/meetings/${meetingId}/record`, response: isRecordResponse }, fetcher);

/** `GET /api/meetings/:id/timeline`: the log so far and the names it may show. */
export const getTimeline = (meetingId: string, fetcher?: typeof fetch) =>
  callApi({ path: `/api/meetings/${meetingId}/timeline`, response: isTimelineResponse }, fetcher);
