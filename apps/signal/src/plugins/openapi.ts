import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';

/** Collects route schemas into an OpenAPI 3.1 document; register before any route. */
export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Polyphony signal API',
          version: '0.1.0',
          description:
            'Commands, queries and the live channel of Polyphony. Errors are ' +
            '`{ "error": { "code", "message" } }`.',
        },
      },
    });
  },
  { name: 'openapi' },
);
