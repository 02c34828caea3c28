import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import {
  findGuestReader,
  findGuestSession,
  findStaffParticipantId,
  findStaffSession,
  hashToken,
  type Db,
  type StaffSessionView,
} from '@polyphony/db';
import { mayManageStaff } from '@polyphony/domain';
import {
  ENDPOINTS,
  UNSAFE_METHODS,
  type AccessKind,
  type EndpointSpec,
  type HttpMethod,
} from '@polyphony/protocol';
import { AppError } from '../app-error.ts';
import {
  CSRF_HEADER,
  STAFF_COOKIE,
  csrfTokenFor,
  csrfTokenMatches,
} from '../auth/staff-session.ts';
import { GUEST_COOKIE, guestCsrfMatches, guestCsrfToken } from '../commands/guest-session.ts';
import { usableLink } from '../routes/invites-join/lookup.ts';
import type { Actor, MeetingCaller, StaffActor } from './actors.ts';
import { createWebhookVerifier } from './livekit-webhook.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling, resolved by the access hook of the route's kind (`ENDPOINTS`). */
    actor: Actor | null;
    /** A live channel's refusal, answered as a close code after the upgrade. */
    accessRefusal: unknown;
  }
}

export interface AccessPluginOptions {
  readonly publicOrigin: string;
  readonly csrfSecret: string;
  readonly now: () => number;
  /** Whom to ask when a link does not work (config `SUPPORT_CONTACT`). */
  readonly supportContact: string | null;
  readonly livekit: { readonly apiKey: string; readonly apiSecret: string };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const csrfFailed = () =>
  new AppError('CSRF_FAILED', 'This request could not be verified. Reload the page.');
const originRejected = () =>
  new AppError('ORIGIN_REJECTED', 'This request came from another site.');
const signInFirst = () => new AppError('UNAUTHENTICATED', 'Please sign in.');

/**
 * Who may call each endpoint, decided here and nowhere else (ADR 0007). One hook per access
 * kind resolves `request.actor` from the cookies, and checks CSRF or `Origin` on state changes,
 * before any handler runs; handlers never read cookies, CSRF headers or `Origin`.
 * `staff`, `admin`, `public` and `webhook` run before the body is validated; `participant` and
 * `link` after it, because the meeting id or the token in the path must be valid first.
 */
export default fp<AccessPluginOptions>(
  async (app, opts) => {
    const db = (): Db => app.database.db;
    const verify = createWebhookVerifier(opts.livekit.apiKey, opts.livekit.apiSecret);
    app.decorateRequest('actor', null);
    app.decorateRequest('accessRefusal', null);

    const specOf = (request: FastifyRequest): EndpointSpec | null => {
      const name = request.routeOptions.config.endpoint;
      return name ? ENDPOINTS[name] : null;
    };
    const unsafe = (request: FastifyRequest) => UNSAFE_METHODS.has(request.method as HttpMethod);
    const csrfOf = (request: FastifyRequest) => {
      const presented = request.headers[CSRF_HEADER];
      return typeof presented === 'string' ? presented : undefined;
    };
    const checkOrigin = (request: FastifyRequest) => {
      if (request.headers.origin !== opts.publicOrigin) throw originRejected();
    };

    async function staffSession(
      request: FastifyRequest,
    ): Promise<{ session: StaffSessionView; token: string } | null> {
      const token = request.cookies[STAFF_COOKIE];
      if (!token) return null;
      const session = await findStaffSession(db(), hashToken(token));
      return session && session.expiresAt.getTime() > opts.now() ? { session, token } : null;
    }

    async function staff(request: FastifyRequest, kind: 'staff' | 'admin'): Promise<StaffActor> {
      const found = await staffSession(request);
      if (!found) throw signInFirst();
      if (kind === 'admin' && !mayManageStaff(found.session.staff.role)) {
        throw new AppError('FORBIDDEN', 'Only an administrator can do this.');
      }
      if (unsafe(request) && !csrfTokenMatches(csrfOf(request), found.session.csrfTokenHash)) {
        throw csrfFailed();
      }
      return {
        kind: 'staff',
        session: found.session,
        tokenHash: hashToken(found.token),
        csrfToken: csrfTokenFor(found.token),
      };
    }

    async function participant(
      request: FastifyRequest,
      spec: EndpointSpec,
    ): Promise<MeetingCaller> {
      if (spec.websocket) checkOrigin(request);
      const meetingId = (request.params as { id: string }).id;
      if (!UUID.test(meetingId)) throw new AppError('NOT_FOUND', 'There is no such meeting.');
      const token = request.cookies[GUEST_COOKIE];
      const tokenHash = token ? hashToken(token) : null;
      const reader = tokenHash ? await findGuestReader(db(), tokenHash) : null;
      const guest =
        reader && tokenHash && reader.meetingId === meetingId
          ? { ...reader, tokenHash, csrfToken: guestCsrfToken(opts.csrfSecret, tokenHash) }
          : null;
      const staff = (await staffSession(request))?.session ?? null;
      const place =
        !guest && staff ? await findStaffParticipantId(db(), meetingId, staff.staff.id) : null;
      const acting = guest
        ? { participantId: guest.participantId, staffId: null, device: guest.device }
        : place && staff
          ? { participantId: place, staffId: staff.staff.id, device: null }
          : null;
      const allowed = acting !== null || (spec.staffWithoutPlace === true && staff !== null);
      if (!allowed) {
        if (reader || staff) {
          throw new AppError('NOT_A_PARTICIPANT', 'You are not part of this meeting.');
        }
        throw new AppError('UNAUTHENTICATED', 'Please open your link again.');
      }
      if (unsafe(request)) {
        // The token of the identity that acts: staff first where staff act without a place.
        const presented = csrfOf(request);
        const ok =
          staff && (spec.staffWithoutPlace || !guest)
            ? csrfTokenMatches(presented, staff.csrfTokenHash)
            : guestCsrfMatches(opts.csrfSecret, guest!.tokenHash, presented);
        if (!ok) throw csrfFailed();
      }
      return { kind: 'participant', meetingId, guest, staff, participant: acting };
    }

    const EARLY: Readonly<Record<AccessKind, boolean>> = {
      operator: true,
      public: true,
      staff: true,
      admin: true,
      webhook: true,
      participant: false,
      link: false,
    };

    async function resolve(request: FastifyRequest, spec: EndpointSpec): Promise<Actor> {
      switch (spec.access) {
        case 'operator':
        case 'public':
          if (unsafe(request)) checkOrigin(request);
          return { kind: 'anonymous' };
        case 'staff':
        case 'admin':
          return staff(request, spec.access);
        case 'participant':
          return participant(request, spec);
        case 'link': {
          if (unsafe(request)) checkOrigin(request);
          const { token } = request.params as { token: string };
          const link = await usableLink(db(), token, opts.now(), opts.supportContact);
          const presented = request.cookies[GUEST_COOKIE];
          const known = presented ? await findGuestSession(db(), hashToken(presented)) : null;
          const device = known && presented ? { ...known, token: presented } : null;
          return { kind: 'link', link, device };
        }
        case 'webhook': {
          const raw = typeof request.body === 'string' ? request.body : '';
          try {
            return { kind: 'webhook', event: await verify(raw, request.headers.authorization) };
          } catch {
            throw new AppError('UNAUTHENTICATED', 'The webhook signature is not valid.');
          }
        }
      }
    }

    const hook = (early: boolean) => async (request: FastifyRequest) => {
      const spec = specOf(request);
      if (!spec || EARLY[spec.access] !== early) return;
      try {
        request.actor = await resolve(request, spec);
      } catch (err) {
        // A browser cannot read the status of a refused upgrade: the live channel closes.
        if (!spec.websocket) throw err;
        request.accessRefusal = err;
      }
    };
    app.addHook('preValidation', hook(true));
    app.addHook('preHandler', hook(false));
  },
  { name: 'access', dependencies: ['db'] },
);
