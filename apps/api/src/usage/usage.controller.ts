import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { RequireScope } from '../auth/scopes.js';
import { CreateJobDto } from '../jobs/dto/create-job.dto.js';
import { ApiProblemResponses } from '../problem/api-problem-responses.decorator.js';
import { UsageQuery } from './dto/usage.query.js';
import { JobEstimateView, UsageView } from './dto/usage.views.js';
import { UsageService } from './usage.service.js';

@ApiTags('usage')
@ApiBearerAuth()
@Controller('v1/usage')
export class UsageController {
  constructor(private readonly usage: UsageService) {}

  @Get()
  @RequireScope('usage:read')
  @ApiOperation({
    operationId: 'getUsage',
    summary: 'Your usage and budget for a month (admins: also the platform and every user)',
    description:
      'Jobs count in the month (UTC) they were created in. Costs are GPU seconds × the model’s SageMaker hourly price.',
  })
  @ApiOkResponse({ type: UsageView })
  @ApiProblemResponses(400, 401, 403, 429, 503)
  async get(@CurrentUser() user: AuthUser, @Query() query: UsageQuery): Promise<UsageView> {
    return this.usage.usage(user, query);
  }
}

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('v1/jobs/estimate')
export class EstimateController {
  constructor(private readonly usage: UsageService) {}

  @Post()
  @RequireScope('jobs:write')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'estimateJob',
    summary: 'Estimate a job’s cost and wait without creating it',
    description: 'The same body and validation as POST /v1/jobs. Nothing is stored and nothing is reserved.',
  })
  @ApiBody({ type: CreateJobDto })
  @ApiOkResponse({ type: JobEstimateView })
  @ApiProblemResponses(400, 401, 403, 413, 415, 429, 503)
  async estimate(@CurrentUser() user: AuthUser, @Body() body: CreateJobDto): Promise<JobEstimateView> {
    return this.usage.estimate(user, body);
  }
}
