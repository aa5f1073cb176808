import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiBody,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { RequireScope } from '../auth/scopes.js';
import { IDEMPOTENCY_KEY_HEADER_DOC, IDEMPOTENT_REPLAYED_HEADER_DOC } from '../idempotency/idempotency.openapi.js';
import { idempotencyKeyOf } from '../idempotency/idempotency-key.request.js';
import { IdempotencyService } from '../idempotency/idempotency.service.js';
import { replyWith } from '../idempotency/idempotent-reply.js';
import { ApiProblemResponses } from '../problem/api-problem-responses.decorator.js';
import { CreateJobDto } from './dto/create-job.dto.js';
import { JobAcceptedView, JobPageView, JobView } from './dto/job.views.js';
import { ListJobsQuery } from './dto/list-jobs.query.js';
import { JobViewMapper } from './job-view.mapper.js';
import { JobsService } from './jobs.service.js';
import { SubmissionWait } from './wait/submission-wait.js';
import { PREFER_HEADER_DOC, PREFERENCE_APPLIED_HEADER_DOC } from './wait/submission-wait.openapi.js';

/** The headers of both success answers of POST /v1/jobs (202 and, with `Prefer: wait`, 201). */
const SUBMISSION_ANSWER_HEADERS = {
  Location: {
    description: 'The job, as in `links.self`',
    required: true,
    schema: { type: 'string', example: '/v1/jobs/01JD0000000000000000000000' },
  },
  ...PREFERENCE_APPLIED_HEADER_DOC,
  ...IDEMPOTENT_REPLAYED_HEADER_DOC,
};

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('v1/jobs')
export class JobsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly views: JobViewMapper,
    private readonly idempotency: IdempotencyService,
    private readonly wait: SubmissionWait,
  ) {}

  @Post()
  @RequireScope('jobs:write')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    operationId: 'createJob',
    summary: 'Submit a text-to-image job',
    description: 'Only `prompt` is required.',
  })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER_DOC)
  @ApiHeader(PREFER_HEADER_DOC)
  @ApiBody({ type: CreateJobDto })
  @ApiAcceptedResponse({
    type: JobAcceptedView,
    description: 'Queued (or, with `Prefer: wait`, not final within the wait); poll `links.self` (also in `Location`)',
    headers: SUBMISSION_ANSWER_HEADERS,
  })
  @ApiCreatedResponse({
    type: JobView,
    description: 'With `Prefer: wait`: the job ended within the wait; this is the final job (any final status)',
    headers: SUBMISSION_ANSWER_HEADERS,
  })
  @ApiProblemResponses(400, 401, 403, 409, 413, 415, 422, 429, 500, 503)
  async create(
    @CurrentUser() user: AuthUser,
    @Body() body: CreateJobDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobAcceptedView | JobView> {
    const waitSeconds = this.wait.seconds(request.headers.prefer);
    // the fingerprint is of the body as sent, before defaults or transformation
    const answer = await this.idempotency.run(user.id, idempotencyKeyOf(request), request.body, async () => {
      const accepted = this.views.accepted(await this.jobs.create(user, body));
      return { status: HttpStatus.ACCEPTED, body: accepted, location: accepted.links.self };
    });
    if (waitSeconds === undefined) {
      return replyWith(reply, answer);
    }
    // the wait is not part of the idempotent answer: a replay with Prefer: wait waits for the same job
    void reply.header('preference-applied', `wait=${waitSeconds}`);
    const final = await this.wait.untilFinal(answer.body.jobId, waitSeconds, reply.raw);
    if (!final) {
      return replyWith(reply, answer);
    }
    void reply.status(HttpStatus.CREATED);
    return replyWith(reply, { ...answer, body: await this.views.view(final) });
  }

  @Get()
  @RequireScope('jobs:read')
  @ApiOperation({
    operationId: 'listJobs',
    summary: 'List your jobs, newest first',
    description:
      'Deleted jobs and jobs past their `expiresAt` are left out. Administrators may list any user’s jobs with `owner`.',
  })
  @ApiOkResponse({ type: JobPageView })
  @ApiProblemResponses(400, 401, 403, 429, 503)
  async list(@CurrentUser() user: AuthUser, @Query() query: ListJobsQuery): Promise<JobPageView> {
    const page = await this.jobs.list(user, query);
    return {
      items: await Promise.all(page.jobs.map((job) => this.views.view(job))),
      nextCursor: page.nextCursor ?? null,
    };
  }

  @Get(':jobId')
  @RequireScope('jobs:read')
  @ApiOperation({
    operationId: 'getJob',
    summary: 'Get one of your jobs',
    description:
      'Image URLs are presigned and short-lived. Another user’s job is a 404, exactly like a missing one, except ' +
      'for administrators, who may read any job. A deleted job, or one past its `expiresAt` (RETENTION_DAYS after ' +
      'submission), is a 404 too.',
  })
  @ApiParam({ name: 'jobId', example: '01JD0000000000000000000000' })
  @ApiOkResponse({ type: JobView })
  @ApiProblemResponses(401, 403, 404, 429, 503)
  async get(@CurrentUser() user: AuthUser, @Param('jobId') jobId: string): Promise<JobView> {
    return this.views.view(await this.jobs.get(user, jobId));
  }
}
