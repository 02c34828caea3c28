import type { RecordRequest } from '@polyphony/protocol';
import { isCommandResponse, isRecordResponse, isTimelineResponse } from 'virtual:checks';
import { callEndpoint } from './endpoints.ts';

const withFetcher = (fetcher?: typeof fetch) => (fetcher ? { fetcher } : {});

/** `POST /api/meetings/:id/record` (facilitators and cofacilitators). */
export const addRecordEntry = (
  meetingId: string,
  body: RecordRequest,
  csrfToken: string | null,
  fetcher?: typeof fetch,
) =>
  callEndpoint('addRecordEntry', { params: { id: meetingId }, body }, isCommandResponse, {
    csrfToken,
    ...withFetcher(fetcher),
  });

/** `GET /api/meetings/:id/record`: the shared record and the agreed next meeting. */
export const getRecord = (meetingId: string, fetcher?: typeof fetch) =>
  callEndpoint('record', { params: { id: meetingId } }, isRecordResponse, withFetcher(fetcher));

/** `GET /api/meetings/:id/timeline`: the log so far and the names it may show. */
export const getTimeline = (meetingId: string, fetcher?: typeof fetch) =>
  callEndpoint('timeline', { params: { id: meetingId } }, isTimelineResponse, withFetcher(fetcher));
