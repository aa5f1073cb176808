import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { answerMetricsScrape, collectProcessMetrics } from '#libs/observability';
import { WORKER_CONFIG, type WorkerConfig } from '../config/worker.config.js';
import { PollMonitor } from './poll-monitor.js';

/**
 * The worker's health port for ECS (or any orchestrator): `GET /health/live` is 503 when the poll loop has stalled
 * (restart the task), `GET /health/ready` is 503 when the worker is not consuming or SQS has not answered lately.
 * The body says only ok/unavailable; why is in the log. `GET /metrics` is the worker's Prometheus text (the port is
 * private to the task's network).
 */
@Injectable()
export class WorkerHealthServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly server: Server;
  private readonly reported = { live: true, ready: true };

  constructor(
    private readonly monitor: PollMonitor,
    private readonly logger: PinoLogger,
    @Inject(WORKER_CONFIG) private readonly config: Pick<WorkerConfig, 'health'>,
  ) {
    this.logger.setContext(WorkerHealthServer.name);
    this.server = createServer((request, response) => {
      const path = (request.url ?? '').split('?')[0];
      const probe = path === '/health/live' ? 'live' : path === '/health/ready' ? 'ready' : undefined;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' }).end();
        return;
      }
      if (path === '/metrics') {
        void answerMetricsScrape(request, response);
        return;
      }
      if (!probe) {
        response.writeHead(404, { 'content-type': 'application/json' }).end('{"status":"not found"}');
        return;
      }
      const healthy = this.check(probe);
      response
        .writeHead(healthy ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(JSON.stringify({ status: healthy ? 'ok' : 'unavailable' }));
    });
  }

  /** The bound port (useful when configured as 0). */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async onApplicationBootstrap(): Promise<void> {
    const { host, port } = this.config.health;
    collectProcessMetrics();
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.logger.info({ host, port: this.port }, 'health endpoint listening');
  }

  async onApplicationShutdown(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private check(probe: 'live' | 'ready'): boolean {
    const health = this.monitor.health();
    const healthy = health[probe];
    // log each change once, with the details the body leaves out
    if (healthy !== this.reported[probe]) {
      this.reported[probe] = healthy;
      const log = healthy ? this.logger.info.bind(this.logger) : this.logger.warn.bind(this.logger);
      log({ probe, ...health.details }, healthy ? `worker ${probe} again` : `worker not ${probe}`);
    }
    return healthy;
  }
}
