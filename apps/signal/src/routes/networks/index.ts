import type { FastifyPluginAsync } from 'fastify';
import { createNetwork, staffIdsInOrganisation } from '@polyphony/db';
import { AppError } from '../../app-error.ts';
import { networkNotFound } from '../../networks/access.ts';
import { listNetworkSummaries, loadNetworkDetail } from '../../networks/views.ts';
import { endpoint } from '../endpoint.ts';
import type { StaffRouteOptions } from '../staff-route-options.ts';

const networks: FastifyPluginAsync<StaffRouteOptions> = async (app, opts) => {
  endpoint(app, 'createNetwork', async (request, reply) => {
    const { staff } = request.actor.session;
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
  });

  endpoint(app, 'listNetworks', async (request) => {
    const { staff } = request.actor.session;
    return {
      networks: await listNetworkSummaries(app.database.db, staff.organisationId, opts.now()),
    };
  });

  endpoint(app, 'network', async (request) => {
    const { staff } = request.actor.session;
    const detail = await loadNetworkDetail(
      app.database.db,
      staff.organisationId,
      request.params.id,
      opts.now(),
    );
    if (!detail) throw networkNotFound();
    return detail;
  });
};

export default networks;
