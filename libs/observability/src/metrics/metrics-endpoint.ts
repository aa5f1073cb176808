import type { IncomingMessage, ServerResponse } from 'node:http';
import { metricsRegistry } from './registry.js';

/** Answers a Prometheus scrape (GET /metrics) with this process's metrics. */
export async function answerMetricsScrape(_request: IncomingMessage, response: ServerResponse): Promise<void> {
  try {
    const body = await metricsRegistry.metrics();
    response.writeHead(200, { 'content-type': metricsRegistry.contentType, 'cache-control': 'no-store' }).end(body);
  } catch {
    response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
  }
}
