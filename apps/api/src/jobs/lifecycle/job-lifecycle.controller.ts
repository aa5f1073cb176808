import { Controller, Delete, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { AuthUser } from '../../auth/auth-user.js';
import { CurrentUser } from '../../auth/current-user.decorator.js';
import { RequireScope } from '../../auth/scopes.js';
import { ApiProblemResponses, ProblemView } from '../../problem/api-problem-responses.decorator.js';
import { PROBLEM_CONTENT_TYPE, ProblemType } from '../../problem/problem.js';
import { JobView } from '../dto/job.views.js';
import { JobViewMapper } from '../job-view.mapper.js';
import { JobCancellationService } from './job-cancellation.service.js';
import { JobDeletionService } from './job-deletion.service.js';

const JOB_ID_EXAMPLE = '01JD0000000000000000000000';

/** Cancel and delete: the actions that end a job early or remove it. */
@ApiTags('jobs')
@ApiBearerAuth()
@Controller('v1/jobs')
export class JobLifecycleController {
  constructor(
    private readonly cancellation: JobCancellationService,
    private readonly deletion: JobDeletionService,
    private readonly views: JobViewMapper,
  ) {}

  @Post(':jobId/cancel')
  @RequireScope('jobs:write')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'cancelJob',
    summary: 'Cancel a queued or running job',
    description:
      'The job is CANCELED when this answers: a QUEUED job never runs and costs nothing; a RUNNING one stops at ' +
      'its next step and is charged only for the GPU time it used. `metadata.cancellation` says what it saved. ' +
      'Canceling a job that is already CANCELED answers it again (200). Another user’s job is a 404, except for ' +
      'administrators, who may cancel any job.',
  })
  @ApiParam({ name: 'jobId', example: JOB_ID_EXAMPLE })
  @ApiOkResponse({ type: JobView, description: 'The job, CANCELED' })
  @ApiResponse({
    status: HttpStatus.CONFLICT,
    description: 'The job is already final (SUCCEEDED, FAILED or TIMED_OUT): `jobStatus` says which',
    content: {
      [PROBLEM_CONTENT_TYPE]: {
        schema: { $ref: getSchemaPath(ProblemView) },
        example: {
          type: ProblemType.JobNotCancelable,
          title: 'Job not cancelable',
          status: 409,
          detail: `Job ${JOB_ID_EXAMPLE} is SUCCEEDED: only a QUEUED or RUNNING job can be canceled.`,
          instance: `/v1/jobs/${JOB_ID_EXAMPLE}/cancel`,
          jobId: JOB_ID_EXAMPLE,
          jobStatus: 'SUCCEEDED',
        },
      },
    },
  })
  // the route takes no body, but one sent is still read (and refused when malformed or too large)
  @ApiProblemResponses(400, 401, 403, 404, 413, 415, 429, 503)
  async cancel(@CurrentUser() user: AuthUser, @Param('jobId') jobId: string): Promise<JobView> {
    return this.views.view((await this.cancellation.cancel(user, jobId)).job);
  }

  @Delete(':jobId')
  @RequireScope('jobs:write')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    operationId: 'deleteJob',
    summary: 'Delete a job and its images',
    description:
      'Removes the job, its request, the model’s output and its images; afterwards the job is a 404. A QUEUED or ' +
      'RUNNING job is canceled first. The usage it booked stays booked. Another user’s job is a 404, except for ' +
      'administrators, who may delete any job.',
  })
  @ApiParam({ name: 'jobId', example: JOB_ID_EXAMPLE })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblemResponses(401, 403, 404, 429, 503)
  async delete(@CurrentUser() user: AuthUser, @Param('jobId') jobId: string): Promise<void> {
    await this.deletion.delete(user, jobId);
  }
}
