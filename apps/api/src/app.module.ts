import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { AwsAdaptersModule } from '#libs/aws';
import { loadModelCatalog, ModelCatalog } from '#libs/models';
import { JobMetrics, TracingShutdown } from '#libs/observability';
import { quotaProviders } from '#libs/quotas';
import { webhookProviders } from '#libs/webhooks';
import { AuthGuard } from './auth/auth.guard.js';
import { BatchesController } from './batches/batches.controller.js';
import { BatchesService } from './batches/batches.service.js';
import { TokenVerifier } from './auth/token-verifier.js';
import { API_CONFIG, type ApiConfig } from './config/api.config.js';
import { AwsHealthIndicators } from './health/aws.health.js';
import { HealthController } from './health/health.controller.js';
import { ReadinessCheck } from './health/readiness.js';
import { IdempotencyService } from './idempotency/idempotency.service.js';
import { EventsController } from './events/events.controller.js';
import { JobEventsService } from './events/job-events.service.js';
import { JobViewMapper } from './jobs/job-view.mapper.js';
import { JobProgressService } from './progress/job-progress.service.js';
import { JobsController } from './jobs/jobs.controller.js';
import { JobsService } from './jobs/jobs.service.js';
import { realtimeProviders } from './jobs/realtime/realtime.providers.js';
import { SubmissionWait } from './jobs/wait/submission-wait.js';
import { JobCancellationService } from './jobs/lifecycle/job-cancellation.service.js';
import { JobDeletionService } from './jobs/lifecycle/job-deletion.service.js';
import { JobLifecycleController } from './jobs/lifecycle/job-lifecycle.controller.js';
import { ApiKeyVerifier } from './keys/api-key-verifier.js';
import { KeysController } from './keys/keys.controller.js';
import { KeysService } from './keys/keys.service.js';
import { JobAdmission } from './limits/job-admission.js';
import { RateLimitReporter } from './limits/rate-limit-reporter.js';
import { RequestRateLimitInterceptor } from './limits/request-rate-limit.interceptor.js';
import { ApiLoggingModule } from './logging/logging.module.js';
import { ApiMetricsServer } from './observability/metrics-server.js';
import { ModelsController } from './models/models.controller.js';
import { ProblemDetailsFilter } from './problem/problem-details.filter.js';
import { BudgetService } from './usage/budget.service.js';
import { UsageExportController } from './usage/export/usage-export.controller.js';
import { UsageExportService } from './usage/export/usage-export.service.js';
import { EstimateController, UsageController } from './usage/usage.controller.js';
import { UsageService } from './usage/usage.service.js';
import { WebhookSubmissions } from './webhooks/webhook-submissions.js';
import { WebhookDeliveriesController, WebhookSecretController } from './webhooks/webhooks.controller.js';
import { WebhooksService } from './webhooks/webhooks.service.js';

@Module({})
export class AppModule {
  /** The config is loaded and validated once, before the module graph is built. */
  static register(config: ApiConfig): DynamicModule {
    const jobMetrics = new JobMetrics(config.observability.metrics);
    return {
      module: AppModule,
      imports: [
        ApiLoggingModule.register(config),
        TerminusModule,
        AwsAdaptersModule.register({
          ...config,
          capacityCacheMs: config.progress.cacheMs,
          // a cancel or a refused submission makes a job final here
          jobWrites: jobMetrics,
        }),
      ],
      controllers: [
        EventsController,
        JobsController,
        JobLifecycleController,
        BatchesController,
        EstimateController,
        UsageController,
        UsageExportController,
        KeysController,
        WebhookSecretController,
        WebhookDeliveriesController,
        ModelsController,
        HealthController,
      ],
      providers: [
        { provide: API_CONFIG, useValue: config },
        { provide: JobMetrics, useValue: jobMetrics },
        ApiMetricsServer,
        TracingShutdown,
        { provide: ModelCatalog, useFactory: () => loadModelCatalog(config.app) },
        // what is told when a refused submission makes a job final (quota and budget bookkeeping)
        ...quotaProviders(config),
        // the webhook queue, events, secrets (and the `completed` event among the final-state listeners)
        ...webhookProviders(config),
        WebhookSubmissions,
        WebhooksService,
        TokenVerifier,
        ApiKeyVerifier,
        KeysService,
        JobsService,
        // real-time models, and the watch hub that Prefer: wait and the event streams share
        ...realtimeProviders(config),
        SubmissionWait,
        JobCancellationService,
        JobDeletionService,
        BatchesService,
        IdempotencyService,
        JobAdmission,
        RateLimitReporter,
        BudgetService,
        UsageService,
        UsageExportService,
        JobViewMapper,
        JobProgressService,
        JobEventsService,
        AwsHealthIndicators,
        ReadinessCheck,
        { provide: APP_GUARD, useClass: AuthGuard },
        // after every guard: counts the authenticated caller's requests and reports the limits on the answer
        { provide: APP_INTERCEPTOR, useClass: RequestRateLimitInterceptor },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}
