import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { ApiProblemResponses } from '../problem/api-problem-responses.decorator.js';
import { CreateJobDto } from './dto/create-job.dto.js';
import { JobAcceptedView, JobPageView, JobView } from './dto/job.views.js';
import { ListJobsQuery } from './dto/list-jobs.query.js';
import { JobViewMapper } from './job-view.mapper.js';
import { JobsService } from './jobs.service.js';

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('v1/jobs')
export class JobsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly views: JobViewMapper,
  ) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    operationId: 'createJob',
    summary: 'Submit a text-to-image job',
    description: 'Only `prompt` is required.',
  })
  @ApiBody({ type: CreateJobDto })
  @ApiAcceptedResponse({
    type: JobAcceptedView,
    description: 'Queued; poll `links.self` (also in `Location`)',
    headers: {
      Location: {
        description: 'The job, as in `links.self`',
        required: true,
        schema: { type: 'string', example: '/v1/jobs/01JD0000000000000000000000' },
      },
    },
  })
  @ApiProblemResponses(400, 401, 413, 415, 429, 500, 503)
  async create(
    @CurrentUser() user: AuthUser,
    @Body() body: CreateJobDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobAcceptedView> {
    const job = await this.jobs.create(user, body);
    const accepted = this.views.accepted(job);
    void reply.header('location', accepted.links.self);
    return accepted;
  }

  @Get()
  @ApiOperation({ operationId: 'listJobs', summary: 'List your jobs, newest first' })
  @ApiOkResponse({ type: JobPageView })
  @ApiProblemResponses(400, 401, 429, 503)
  async list(@CurrentUser() user: AuthUser, @Query() query: ListJobsQuery): Promise<JobPageView> {
    const page = await this.jobs.list(user, query);
    return {
      items: await Promise.all(page.jobs.map((job) => this.views.view(job))),
      nextCursor: page.nextCursor ?? null,
    };
  }

  @Get(':jobId')
  @ApiOperation({
    operationId: 'getJob',
    summary: 'Get one of your jobs',
    description: 'Image URLs are presigned and short-lived.',
  })
  @ApiParam({ name: 'jobId', example: '01JD0000000000000000000000' })
  @ApiOkResponse({ type: JobView })
  @ApiProblemResponses(401, 404, 429, 503)
  async get(@CurrentUser() user: AuthUser, @Param('jobId') jobId: string): Promise<JobView> {
    return this.views.view(await this.jobs.get(user, jobId));
  }
}
