/**
 * The api's baseline: a bare node:http server answering POST /v1/jobs and GET /v1/jobs/{id} with exactly the
 * api's AWS calls (bare-calls.ts) through the same SDK clients, and nothing else (no framework, validation,
 * authentication, logging or metrics). `npm run bench` compares the api's throughput with it.
 */
import http from 'node:http';
import { bareClients, bareResources } from './bare-resources.js';
import { BASELINE_OWNER_HEADER, read, submit, type JobRequest } from './bare-calls.js';

// GET reads the bench user's job when BASELINE_OWNER names them (the same item the api is measured reading); a POST
// is submitted for the user its BASELINE_OWNER_HEADER names (the user the api's token is for)
const OWNER = process.env.BASELINE_OWNER ?? 'baseline';
const clients = bareClients(process.env);
const resources = bareResources(process.env);

function answer(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  if (request.method === 'POST' && request.url === '/v1/jobs') {
    const chunks: Buffer[] = [];
    for await (const chunk of request) {
      chunks.push(chunk as Buffer);
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as JobRequest;
    const owner = request.headers[BASELINE_OWNER_HEADER];
    answer(response, 202, await submit(clients, resources, typeof owner === 'string' ? owner : OWNER, body));
    return;
  }
  const jobId = request.method === 'GET' ? /^\/v1\/jobs\/([0-9A-Z]{26})$/.exec(request.url ?? '')?.[1] : undefined;
  if (jobId) {
    const job = await read(clients, resources, OWNER, jobId);
    answer(response, job ? 200 : 404, job ?? { status: 404 });
    return;
  }
  answer(response, 404, { status: 404 });
}

const server = http.createServer((request, response) => {
  handle(request, response).catch((error: unknown) => answer(response, 503, { detail: String(error) }));
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.BASELINE_PORT), '127.0.0.1', () => console.log('baseline listening'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
