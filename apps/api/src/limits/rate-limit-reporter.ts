import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { type PolicyReport, rateLimitHeaders } from './rate-limit-headers.js';

interface ReportScope {
  reply: FastifyReply;
  reports: Map<string, PolicyReport>;
}

/**
 * Collects what each limit said about the current request and keeps the answer's RateLimit-Policy and RateLimit
 * fields in step. The headers go onto the reply as soon as a limit reports, so an error answer (the problem
 * filter only adds its own headers) carries them as well as a success does.
 *
 * The scope is the request's async context (RequestRateLimitInterceptor opens it around the handler), so a service
 * deep in the call (job admission) reports without being handed the reply; outside a request it does nothing.
 */
@Injectable()
export class RateLimitReporter {
  private readonly scope = new AsyncLocalStorage<ReportScope>();

  run<T>(reply: FastifyReply, fn: () => T): T {
    return this.scope.run({ reply, reports: new Map() }, fn);
  }

  report(report: PolicyReport): void {
    const scope = this.scope.getStore();
    if (!scope) {
      return;
    }
    scope.reports.set(report.name, report);
    void scope.reply.headers(rateLimitHeaders([...scope.reports.values()]));
  }
}
