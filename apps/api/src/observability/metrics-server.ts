import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { answerMetricsScrape, collectProcessMetrics } from '#libs/observability';
import { API_CONFIG, type ApiConfig } from '../config/api.config.js';

/**
 * GET /metrics (Prometheus text) on the api's private metrics port: the ALB forwards only the api port, so the
 * figures are never public; a scraper (or the ADOT collector) reaches the task directly.
 */
@Injectable()
export class ApiMetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly server: Server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end();
      return;
    }
    void answerMetricsScrape(request, response);
  });

  constructor(
    @Inject(API_CONFIG) private readonly config: Pick<ApiConfig, 'observability'>,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(ApiMetricsServer.name);
  }

  /** The bound port (useful when configured as 0). */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async onApplicationBootstrap(): Promise<void> {
    const { host, port } = this.config.observability.metricsServer;
    collectProcessMetrics();
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.logger.info({ host, port: this.port }, 'metrics endpoint listening');
  }

  async onApplicationShutdown(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
