import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { JOB_STATUSES, type JobStatus } from '#libs/contracts';
import type { AuthUser } from '../auth/auth-user.js';
import { RequireScope } from '../auth/scopes.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { IDEMPOTENCY_KEY_HEADER_DOC, IDEMPOTENT_REPLAYED_HEADER_DOC } from '../idempotency/idempotency.openapi.js';
import { idempotencyKeyOf } from '../idempotency/idempotency-key.request.js';
import { IdempotencyService } from '../idempotency/idempotency.service.js';
import { replyWith } from '../idempotency/idempotent-reply.js';
import { jobLinks, JobViewMapper } from '../jobs/job-view.mapper.js';
import { ApiProblemResponses } from '../problem/api-problem-responses.decorator.js';
import { MAX_BATCH_JOBS } from './batches.config.js';
import { BatchesService } from './batches.service.js';
import { BatchAcceptedView, type BatchLinksView, BatchPageView, BatchView } from './dto/batch.views.js';
import { CreateBatchDto } from './dto/create-batch.dto.js';
import { ListBatchesQuery } from './dto/list-batches.query.js';

const batchLinks = (batchId: string): BatchLinksView => ({ self: `/v1/batches/${batchId}` });

@ApiTags('batches')
@ApiBearerAuth()
@Controller('v1/batches')
export class BatchesController {
  constructor(
    private readonly batches: BatchesService,
    private readonly views: JobViewMapper,
    private readonly idempotency: IdempotencyService,
  ) {}

  @RequireScope('jobs:write')
  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    operationId: 'createBatch',
    summary: `Submit up to ${MAX_BATCH_JOBS} text-to-image jobs at once`,
    description:
      'Give `prompts` (one job per prompt) or `jobs` (one POST /v1/jobs body per job); the other fields are shared ' +
      'by every job (a job’s own field wins). Bodies are limited to 8 KB, so large batches use `prompts`. The batch ' +
      'is accepted whole or refused whole: the jobs in flight, the jobs per day and the monthly budgets must have ' +
      'room for every job (429 otherwise, with `jobsRequested` and what is left).',
  })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER_DOC)
  @ApiBody({ type: CreateBatchDto })
  @ApiAcceptedResponse({
    type: BatchAcceptedView,
    description: 'Submitted; poll `links.self` (also in `Location`) for the jobs’ states',
    headers: {
      Location: {
        description: 'The batch, as in `links.self`',
        required: true,
        schema: { type: 'string', example: '/v1/batches/01JD0000000000000000000000' },
      },
      ...IDEMPOTENT_REPLAYED_HEADER_DOC,
    },
  })
  @ApiProblemResponses(400, 401, 403, 409, 413, 415, 422, 429, 503)
  async create(
    @CurrentUser() user: AuthUser,
    @Body() body: CreateBatchDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BatchAcceptedView> {
    // the fingerprint is of the body as sent, before defaults or transformation
    const answer = await this.idempotency.run(user.id, idempotencyKeyOf(request), request.body, async () => {
      const batch = await this.batches.create(user, body);
      const accepted: BatchAcceptedView = {
        batchId: batch.batchId,
        createdAt: batch.createdAt,
        jobs: batch.jobs.map((job) => this.views.accepted(job)),
        links: batchLinks(batch.batchId),
      };
      return { status: HttpStatus.ACCEPTED, body: accepted, location: accepted.links.self };
    });
    return replyWith(reply, answer);
  }

  @RequireScope('jobs:read')
  @Get()
  @ApiOperation({ operationId: 'listBatches', summary: 'List your batches, newest first' })
  @ApiOkResponse({ type: BatchPageView })
  @ApiProblemResponses(400, 401, 403, 429, 503)
  async list(@CurrentUser() user: AuthUser, @Query() query: ListBatchesQuery): Promise<BatchPageView> {
    const page = await this.batches.list(user, query);
    return {
      items: page.batches.map((batch) => ({ ...batch, links: batchLinks(batch.batchId) })),
      nextCursor: page.nextCursor ?? null,
    };
  }

  @RequireScope('jobs:read')
  @Get(':batchId')
  @ApiOperation({
    operationId: 'getBatch',
    summary: 'Get one of your batches with its jobs’ states',
    description:
      'Every job of the batch with its status, and the count per status. Another user’s batch is a 404, exactly ' +
      'like a missing one, except for administrators, who may read any batch.',
  })
  @ApiParam({ name: 'batchId', example: '01JD0000000000000000000000' })
  @ApiOkResponse({ type: BatchView })
  @ApiProblemResponses(401, 403, 404, 429, 503)
  async get(@CurrentUser() user: AuthUser, @Param('batchId') batchId: string): Promise<BatchView> {
    const { batch, jobs } = await this.batches.get(user, batchId);
    const counts = Object.fromEntries(JOB_STATUSES.map((status) => [status, 0])) as Record<JobStatus, number>;
    for (const job of jobs) {
      counts[job.status] += 1;
    }
    return {
      batchId: batch.batchId,
      createdAt: batch.createdAt,
      jobCount: batch.jobIds.length,
      counts,
      jobs: jobs.map((job) => ({
        jobId: job.jobId,
        status: job.status,
        error: job.error ?? null,
        links: jobLinks(job),
      })),
      links: batchLinks(batch.batchId),
    };
  }
}
