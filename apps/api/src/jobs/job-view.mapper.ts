import { Inject, Injectable } from '@nestjs/common';
import { ObjectStore, PresignedUrls } from '#libs/aws';
import { ACTIVE_JOB_STATUSES, type Job, JobSubmission } from '#libs/contracts';
import { API_CONFIG, type ApiConfig } from '../config/api.config.js';
import { JobProgressService } from '../progress/job-progress.service.js';
import type { JobAcceptedView, JobLinksView, JobView } from './dto/job.views.js';
import { imageOutcomesOf } from './image-outcomes.view.js';

/**
 * A link the api hands out: present only when its route exists and the action makes sense in the job's state.
 * A route that comes later (events, cancel) is added by registering its rule here and its property in JobLinksView.
 */
export interface JobLinkRule {
  rel: keyof JobLinksView;
  href(jobId: string): string;
  appliesTo(job: Pick<Job, 'status'>): boolean;
}

export const JOB_LINK_RULES: readonly JobLinkRule[] = [
  { rel: 'self', href: (jobId) => `/v1/jobs/${jobId}`, appliesTo: () => true },
  {
    rel: 'cancel',
    href: (jobId) => `/v1/jobs/${jobId}/cancel`,
    appliesTo: (job) => ACTIVE_JOB_STATUSES.includes(job.status),
  },
  // a final job's stream would only repeat its state and end
  {
    rel: 'events',
    href: (jobId) => `/v1/jobs/${jobId}/events`,
    appliesTo: (job) => ACTIVE_JOB_STATUSES.includes(job.status),
  },
];

export function jobLinks(
  job: Pick<Job, 'jobId' | 'status'>,
  rules: readonly JobLinkRule[] = JOB_LINK_RULES,
): JobLinksView {
  const links: Partial<Record<keyof JobLinksView, string>> = {};
  for (const rule of rules) {
    if (rule.appliesTo(job)) {
      links[rule.rel] = rule.href(job.jobId);
    }
  }
  return links as JobLinksView;
}

/**
 * Turns stored jobs into API answers; image keys become short-lived presigned URLs, reused while they have at least
 * half of their lifetime left (PresignedUrls).
 */
@Injectable()
export class JobViewMapper {
  private readonly imageUrls: PresignedUrls;

  constructor(
    objects: ObjectStore,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly progress: JobProgressService,
  ) {
    this.imageUrls = new PresignedUrls(objects, config.images.urlTtlSeconds);
  }

  accepted(job: Job): JobAcceptedView {
    return {
      jobId: job.jobId,
      status: job.status,
      createdAt: job.createdAt,
      // create() always sets it; a stored job from before the field existed was confirmed
      submission: job.submission ?? JobSubmission.Confirmed,
      links: jobLinks(job),
    };
  }

  async view(job: Job): Promise<JobView> {
    const progress = this.progress.progress(job);
    const images = await Promise.all(
      job.images.map(async (image, position) => ({
        url: await this.imageUrls.get({ bucket: this.config.resources.imagesBucket, key: image.key }),
        index: image.index ?? position,
        width: image.width,
        height: image.height,
        format: image.format,
        bytes: image.bytes,
      })),
    );
    return {
      jobId: job.jobId,
      status: job.status,
      createdAt: job.createdAt,
      updatedAt: job.updatedAt,
      params: job.params,
      imageUrl: images[0]?.url ?? null,
      images,
      imageOutcomes: imageOutcomesOf(job),
      progress: await progress,
      error: job.error ?? null,
      metadata: {
        modelId: job.params.modelId,
        endpointName: job.endpointName,
        inferenceId: job.inferenceId,
        seed: job.params.seed,
        timings: job.timings,
        cost: job.cost ?? null,
        cancellation: job.cancellation ?? null,
      },
      ...(job.batchId ? { batchId: job.batchId } : {}),
      ...(job.timeoutSeconds !== undefined ? { timeoutSeconds: job.timeoutSeconds } : {}),
      ...(job.deadlineAt ? { deadlineAt: job.deadlineAt } : {}),
      ...(job.expiresAt !== undefined ? { expiresAt: new Date(job.expiresAt * 1000).toISOString() } : {}),
      links: jobLinks(job),
    };
  }
}
