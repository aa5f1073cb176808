import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { EndpointCapacityClient, JobRepository, type ModelStats, ModelStatsRepository } from '#libs/aws';
import { isFinalStatus, type Job, JobStatus } from '#libs/contracts';
import { estimateCost, ModelCatalog } from '#libs/models';
import { bounded, TIMED_OUT } from '#libs/runtime';
import { API_CONFIG, type ApiConfig } from '../config/api.config.js';
import { type JobProgress, progressOf } from './eta.js';

/** How long a submission waits for DescribeEndpoint to say whether the endpoint is cold. */
const COLD_HINT_TIMEOUT_MS = 250;

/**
 * The `progress` of a job view: its phase, position and ETA. Reads per view of an unfinished job: one Query COUNT
 * (queued only, bounded by PROGRESS_POSITION_CAP), plus the model's averages (one GetItem) and DescribeEndpoint,
 * both cached for PROGRESS_CACHE_MS per api instance. Never fails a view: what cannot be read is left out.
 */
@Injectable()
export class JobProgressService {
  private readonly stats = new Map<string, { at: number; value: Promise<ModelStats> }>();

  constructor(
    private readonly jobs: JobRepository,
    private readonly capacity: EndpointCapacityClient,
    private readonly modelStats: ModelStatsRepository,
    private readonly catalog: ModelCatalog,
    private readonly logger: PinoLogger,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {
    this.logger.setContext(JobProgressService.name);
  }

  async progress(job: Job, now = Date.now()): Promise<JobProgress> {
    if (isFinalStatus(job.status)) {
      return progressOf(job, { now, inferenceMs: 0, coldStartMs: 0 });
    }
    const model = this.catalog.find(job.params.modelId);
    const stats = await this.optional('model stats', () => this.statsOf(job.params.modelId));
    const estimatedMs = model ? estimateCost(model, job.params).gpuSeconds * 1000 : 0;
    // the catalog's estimate for this job's size, at the pace the model has shown lately
    const inferenceMs = estimatedMs * (stats?.inferenceFactor ?? 1);
    const coldStartMs = stats?.coldStartMs ?? (model ? model.hosting.coldStartSeconds * 1000 : 0);
    if (job.status === JobStatus.Running) {
      return progressOf(job, { now, inferenceMs, coldStartMs });
    }
    const [capacity, position] = await Promise.all([
      this.optional('endpoint capacity', () => this.capacity.describe(job.endpointName)),
      this.optional('queue position', () =>
        this.jobs.countActiveBefore(job.endpointName, job.jobId, this.config.progress.positionCap),
      ),
    ]);
    return progressOf(job, {
      now,
      inferenceMs,
      coldStartMs,
      ...(capacity ? { capacity } : {}),
      ...(position !== undefined ? { position } : {}),
    });
  }

  /** Whether the endpoint has no instance and none starting: a job submitted now waits one whole cold start. */
  async coldAtSubmit(endpointName: string): Promise<boolean> {
    // a submission never waits long for this hint: past the bound it is simply not given
    const capacity = await bounded(
      this.optional('endpoint capacity', () => this.capacity.describe(endpointName)),
      COLD_HINT_TIMEOUT_MS,
    );
    return (
      capacity !== undefined &&
      capacity !== TIMED_OUT &&
      capacity.currentInstances === 0 &&
      capacity.desiredInstances === 0
    );
  }

  private statsOf(modelId: string): Promise<ModelStats> {
    const cached = this.stats.get(modelId);
    if (cached && Date.now() - cached.at < this.config.progress.cacheMs) {
      return cached.value;
    }
    const value = this.modelStats.get(modelId);
    this.stats.set(modelId, { at: Date.now(), value });
    value.catch(() => this.stats.delete(modelId));
    return value;
  }

  private async optional<T>(what: string, read: () => Promise<T>): Promise<T | undefined> {
    try {
      return await read();
    } catch (error) {
      this.logger.warn({ err: error }, `progress without ${what}: it could not be read`);
      return undefined;
    }
  }
}
