import type { FastifyPluginAsync } from 'fastify';
import { endpoint } from '../endpoint.ts';

/** The OpenAPI document, generated from the endpoint table that registers every route. */
const openapi: FastifyPluginAsync = async (app) => {
  endpoint(app, 'openapi', async () => app.swagger());
};

export default openapi;
