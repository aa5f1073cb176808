import { describe, expect, it } from '@jest/globals';
import Fastify from 'fastify';
import { registeredRoutes } from './registered-routes.js';

describe(registeredRoutes.name, () => {
  it('lists every method of every route, nested prefixes, parameters and wildcards included', async () => {
    const fastify = Fastify();
    const handler = async () => ({});
    fastify.get('/v1/jobs', handler);
    fastify.post('/v1/jobs', handler);
    fastify.get('/v1/jobs/:jobId', handler);
    fastify.post('/v1/jobs/estimate', handler);
    fastify.get('/v1/models', handler);
    fastify.get('/docs', handler);
    fastify.get('/docs-json', handler);
    fastify.get('/docs/*', handler);
    fastify.delete('/v1/jobs/:jobId/images/:index', handler);
    // what @fastify/cors adds for preflights: it puts an empty node at the root
    fastify.options('*', handler);
    await fastify.ready();

    const listed = registeredRoutes(fastify).map(({ method, url }) => `${method} ${url}`);

    expect(listed.sort()).toEqual(
      [
        'GET /v1/jobs',
        'HEAD /v1/jobs',
        'POST /v1/jobs',
        'GET /v1/jobs/:jobId',
        'HEAD /v1/jobs/:jobId',
        'POST /v1/jobs/estimate',
        'GET /v1/models',
        'HEAD /v1/models',
        'GET /docs',
        'HEAD /docs',
        'GET /docs-json',
        'HEAD /docs-json',
        'GET /docs/*',
        'HEAD /docs/*',
        'DELETE /v1/jobs/:jobId/images/:index',
        'OPTIONS /*',
      ].sort(),
    );
    await fastify.close();
  });
});
