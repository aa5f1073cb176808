import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Observable } from 'rxjs';
import { RateLimiter, type RateLimitPolicy } from '#libs/aws';
import type { AuthUser } from '../auth/auth-user.js';
import type { AuthenticatedRequest } from '../auth/current-user.decorator.js';
import { API_CONFIG, type ApiConfig } from '../config/api.config.js';
import { limitsFor } from '../config/limits.config.js';
import { ProblemException, ProblemType } from '../problem/problem.js';
import { keyRequestsPolicy, requestsPolicy, windowReport } from './limit-policies.js';
import { RateLimitReporter } from './rate-limit-reporter.js';

/**
 * Requests per minute per user (and per API key, when the key has a limit of its own: both apply), counted in DynamoDB so that every api instance shares one budget. Interceptors run
 * after every guard, so the caller is known (public routes have none and are not counted); each authenticated
 * request consumes one point, 400s and 404s included, and its answer reports the policy.
 */
@Injectable()
export class RequestRateLimitInterceptor implements NestInterceptor {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly reporter: RateLimitReporter,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') {
      return next.handle();
    }
    const http = context.switchToHttp();
    const { user } = http.getRequest<AuthenticatedRequest>();
    return this.reporter.run(http.getResponse<FastifyReply>(), async () => {
      if (user) {
        await this.count(user);
      }
      return next.handle();
    });
  }

  private async count(user: AuthUser): Promise<void> {
    await this.consume(requestsPolicy(limitsFor(this.config.limits, user.groups)), user.id);
    if (user.apiKey) {
      await this.consume(keyRequestsPolicy(user.apiKey.requestsPerMinute), user.apiKey.id);
    }
  }

  private async consume(policy: RateLimitPolicy | undefined, key: string): Promise<void> {
    if (!policy) {
      return;
    }
    const standing = await this.limiter.consume(policy, key);
    this.reporter.report(windowReport(policy, standing));
    if (!standing.allowed) {
      throw ProblemException.tooManyRequests(
        ProblemType.RateLimited,
        `Over ${policy.points} requests per minute; try again in ${standing.resetSeconds} s.`,
        [policy.name],
        standing.resetSeconds,
      );
    }
  }
}
