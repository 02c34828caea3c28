import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createNetwork, staffIdsInOrganisation } from '@polyphony/db';
import {
  CreateNetworkRequest,
  IdParams,
  NetworkDetail,
  NetworkListResponse,
} from '@polyphony/protocol';
import { AppError } from '../../app-error.ts';
import { networkNotFound } from '../../networks/access.ts';
import { listNetworkSummaries, loadNetworkDetail } from '../../networks/views.ts';
import { staffOf } from '../../plugins/auth.ts';
import { ERROR_RESPONSES } from '../schemas.ts';
import type { StaffRouteOptions } from '../staff-route-options.ts';

const networks: FastifyPluginAsyncTypebox<StaffRouteOptions> = async (app, opts) => {
  app.post(
    '/api/networks',
    {
      config: { auth: 'staff' },
      schema: {
        summary: 'Create a network with its core team',
        tags: ['networks'],
        body: CreateNetworkRequest,
        response: { 201: NetworkDetail, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const { staff } = staffOf(request);
      const db = app.database.db;
      const { label, firstContactAt, coreTeamStaffIds } = request.body;
      const known = await staffIdsInOrganisation(db, staff.organisationId, coreTeamStaffIds);
      if (known.size !== coreTeamStaffIds.length) {
        throw new AppError('VALIDATION_FAILED', 'Every core-team member must be staff here.');
      }
      const network = await createNetwork(db, {
        organisationId: staff.organisationId,
        label: label.trim(),
        firstContactAt: new Date(firstContactAt),
        coreTeamStaffIds,
        createdBy: staff.id,
      });
      const detail = await loadNetworkDetail(db, staff.organisationId, network.id, opts.now());
      return reply.code(201).send(detail!);
    },
  );

  app.get(
    '/api/networks',
    {
      config: { auth: 'staff' },
      schema: {
        summary: "The organisation's networks with their dashboard figures",
        tags: ['networks'],
        response: { 200: NetworkListResponse, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { staff } = staffOf(request);
      return {
        networks: await listNetworkSummaries(app.database.db, staff.organisationId, opts.now()),
      };
    },
  );

  app.get(
    '/api/networks/:id',
    {
      config: { auth: 'staff' },
      schema: {
        summary: 'A network: members, core team, meetings and figures',
        tags: ['networks'],
        params: IdParams,
        response: { 200: NetworkDetail, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { staff } = staffOf(request);
      const detail = await loadNetworkDetail(
        app.database.db,
        staff.organisationId,
        request.params.id,
        opts.now(),
      );
      if (!detail) throw networkNotFound();
      return detail;
    },
  );
};

export default networks;
