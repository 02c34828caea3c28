import { Type } from 'typebox';
import { HealthResponse, ReadyResponse } from '../http.ts';
import {
  ChangePasswordRequest,
  MeResponse,
  SetupLinkPreview,
  SetupRequest,
  SetupStatusResponse,
  SetupTokenParams,
  SignInRequest,
  UseSetupLinkRequest,
} from '../staff.ts';
import type { EndpointSpec } from './spec.ts';

/** Probes, the API document, first-run setup, signing in and out, LiveKit's webhook. */
export const OPERATOR_ENDPOINTS = {
  health: {
    method: 'GET',
    path: '/api/health',
    access: 'operator',
    responses: { 200: HealthResponse },
    summary: 'Liveness: the process answers',
    tags: ['operations'],
  },
  ready: {
    method: 'GET',
    path: '/api/ready',
    access: 'operator',
    responses: { 200: ReadyResponse, 503: ReadyResponse },
    summary:
      'Readiness: the database and LiveKit answer and the node is not draining (503 otherwise)',
    tags: ['operations'],
  },
  openapi: {
    method: 'GET',
    path: '/api/openapi.json',
    access: 'operator',
    responses: {},
    summary: 'This OpenAPI document',
    tags: ['operations'],
  },
  metrics: {
    method: 'GET',
    path: '/metrics',
    access: 'operator',
    responses: {},
    summary: 'Prometheus metrics',
    tags: ['operations'],
  },
  setupStatus: {
    method: 'GET',
    path: '/api/setup',
    access: 'public',
    responses: { 200: SetupStatusResponse },
    summary: 'Whether first-run setup is needed (no staff exist yet)',
    tags: ['setup'],
  },
  setup: {
    method: 'POST',
    path: '/api/setup',
    access: 'public',
    body: SetupRequest,
    responses: { 201: MeResponse },
    summary: 'Create the organisation and its first admin, and sign them in',
    description:
      'Only while no staff exist (409 SETUP_ALREADY_DONE after). Needs `Origin: PUBLIC_ORIGIN`.',
    tags: ['setup'],
  },
  signIn: {
    method: 'POST',
    path: '/api/session',
    access: 'public',
    body: SignInRequest,
    responses: { 200: MeResponse },
    summary: 'Sign in (sets the pp_staff cookie; answers with the CSRF token)',
    description:
      'Needs `Origin: PUBLIC_ORIGIN`. Attempts are limited per e-mail address and per client ' +
      'address (429 RATE_LIMITED with Retry-After).',
    tags: ['session'],
  },
  signOut: {
    method: 'DELETE',
    path: '/api/session',
    access: 'staff',
    responses: { 204: Type.Null() },
    summary: 'Sign out (ends the session and clears the cookie)',
    description: 'Needs the session and its `X-CSRF-Token`.',
    tags: ['session'],
  },
  me: {
    method: 'GET',
    path: '/api/me',
    access: 'staff',
    responses: { 200: MeResponse },
    summary: 'Who is signed in, and the CSRF token for this session',
    tags: ['session'],
  },
  changePassword: {
    method: 'POST',
    path: '/api/me/password',
    access: 'staff',
    body: ChangePasswordRequest,
    responses: { 204: Type.Null() },
    summary: 'Change one\u2019s own password (the current one is asked for)',
    description:
      'Every other session of the person ends (their live channels close); this one stays. ' +
      'A wrong current password is 403 WRONG_PASSWORD.',
    tags: ['session'],
  },
  setupLinkPreview: {
    method: 'GET',
    path: '/api/password-setup/:token',
    access: 'public',
    params: SetupTokenParams,
    responses: { 200: SetupLinkPreview },
    summary: 'Whose account a one-time setup link is for',
    description: 'Unknown, used and expired links all answer 404 LINK_INVALID.',
    tags: ['session'],
  },
  useSetupLink: {
    method: 'POST',
    path: '/api/password-setup/:token',
    access: 'public',
    params: SetupTokenParams,
    body: UseSetupLinkRequest,
    responses: { 200: MeResponse },
    summary: 'Set a new password through a one-time setup link, and sign in',
    description:
      'The link works once. Every earlier session of the person ends. Needs ' +
      '`Origin: PUBLIC_ORIGIN`; 404 LINK_INVALID for a link that cannot be used.',
    tags: ['session'],
  },
  livekitWebhook: {
    method: 'POST',
    path: '/api/livekit/webhook',
    access: 'webhook',
    responses: { 200: Type.Object({ ok: Type.Literal(true) }) },
    summary: 'LiveKit webhooks (signed; idempotent by event id)',
    tags: ['livekit'],
  },
} as const satisfies Record<string, EndpointSpec>;
