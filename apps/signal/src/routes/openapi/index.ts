import type { FastifyPluginAsync } from 'fastify';

/** The OpenAPI document, generated from the same schemas that validate requests. */
const openapi: FastifyPluginAsync = async (app) => {
  app.get(
    '/api/openapi.json',
    { schema: { summary: 'This OpenAPI document', tags: ['operations'] } },
    async () => app.swagger(),
  );
};

export default openapi;
