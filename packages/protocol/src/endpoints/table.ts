import { MEETING_ENDPOINTS } from './meeting.ts';
import { OPERATOR_ENDPOINTS } from './operator.ts';
import type { EndpointSpec } from './spec.ts';
import { STAFF_ENDPOINTS } from './staff.ts';

/**
 * Every endpoint of the signal service, by name. The signal registers its routes from this
 * table (and refuses to start with a route outside it), the OpenAPI document is generated
 * from it, the web's client builds its paths from it, and the tests call through it.
 */
export const ENDPOINTS = {
  ...OPERATOR_ENDPOINTS,
  ...STAFF_ENDPOINTS,
  ...MEETING_ENDPOINTS,
} as const satisfies Record<string, EndpointSpec>;

export type Endpoints = typeof ENDPOINTS;
export type EndpointName = keyof Endpoints;
