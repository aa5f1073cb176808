import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { WebhookAttemptRecord } from '#libs/aws';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { RequireScope } from '../auth/scopes.js';
import { ApiProblemResponses } from '../problem/api-problem-responses.decorator.js';
import { ListDeliveriesQuery } from './dto/list-deliveries.query.js';
import {
  WebhookDeliveryAttemptView,
  WebhookDeliveryPageView,
  WebhookRedeliveryView,
  WebhookSecretView,
} from './dto/webhook.views.js';
import { WebhooksService } from './webhooks.service.js';

const ONLY_SIGNED_IN =
  'Only with a signed-in user’s access token: an API key gets 403 (a leaked key must not reveal or replace the ' +
  'secret that proves deliveries come from the platform).';

/** No @RequireScope: API keys are refused here (AuthGuard). */
@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('v1/webhooks')
export class WebhookSecretController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get('secret')
  @ApiOperation({
    operationId: 'getWebhookSecret',
    summary: 'Your webhook signing secret',
    description:
      'The Standard Webhooks `whsec_` secret every delivery to your webhooks is signed with (created on first ' +
      `use). ${ONLY_SIGNED_IN}`,
  })
  @ApiOkResponse({ type: WebhookSecretView })
  @ApiProblemResponses(401, 403, 429, 503)
  async secret(@CurrentUser() user: AuthUser): Promise<WebhookSecretView> {
    const view = await this.webhooks.secret(user);
    return { ...view, previousSecretRetiresAt: view.previousSecretRetiresAt ?? null };
  }

  @Post('secret/rotate')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'rotateWebhookSecret',
    summary: 'Replace your webhook signing secret',
    description:
      'Answers the new secret. For 24 hours deliveries carry a signature with each secret (space-separated in ' +
      '`webhook-signature`), so receivers keep verifying while you deploy the new one; a second rotation within ' +
      `that time retires the oldest secret at once. ${ONLY_SIGNED_IN}`,
  })
  @ApiOkResponse({ type: WebhookSecretView })
  @ApiProblemResponses(401, 403, 429, 503)
  async rotate(@CurrentUser() user: AuthUser): Promise<WebhookSecretView> {
    const view = await this.webhooks.rotate(user);
    return { ...view, previousSecretRetiresAt: view.previousSecretRetiresAt ?? null };
  }
}

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('v1/jobs/:jobId/deliveries')
export class WebhookDeliveriesController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get()
  @RequireScope('jobs:read')
  @ApiOperation({
    operationId: 'listWebhookDeliveries',
    summary: 'The webhook delivery log of one of your jobs',
    description:
      'Every attempt to deliver the job’s webhook events, oldest first: when, the answer’s status, how long it ' +
      'took, the error, and when the next attempt is due. Kept WEBHOOKS_LOG_RETENTION_DAYS (default 30). Only the ' +
      'job’s owner sees it; another user’s job is a 404.',
  })
  @ApiParam({ name: 'jobId', example: '01JD0000000000000000000000' })
  @ApiOkResponse({ type: WebhookDeliveryPageView })
  @ApiProblemResponses(400, 401, 403, 404, 429, 503)
  async list(
    @CurrentUser() user: AuthUser,
    @Param('jobId') jobId: string,
    @Query() query: ListDeliveriesQuery,
  ): Promise<WebhookDeliveryPageView> {
    const page = await this.webhooks.deliveries(user, jobId, query);
    return { items: page.attempts.map(toView), nextCursor: page.nextCursor ?? null };
  }

  @Post(':deliveryId/redeliver')
  @RequireScope('jobs:write')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    operationId: 'redeliverWebhook',
    summary: 'Send one of the job’s webhook events again',
    description:
      'Queues the event to be delivered again from attempt 1, with the same body and the same `webhook-id` (so a ' +
      'receiver that already has it can tell). `deliveryId` is from the delivery log.',
  })
  @ApiParam({ name: 'jobId', example: '01JD0000000000000000000000' })
  @ApiParam({ name: 'deliveryId', example: '01JD0000000000000000000000.completed' })
  @ApiAcceptedResponse({
    type: WebhookRedeliveryView,
    description: 'Queued; follow its attempts in the delivery log (also in `Location`)',
    headers: {
      Location: {
        description: 'The job’s delivery log',
        required: true,
        schema: { type: 'string', example: '/v1/jobs/01JD0000000000000000000000/deliveries' },
      },
    },
  })
  @ApiProblemResponses(401, 403, 404, 429, 503)
  async redeliver(
    @CurrentUser() user: AuthUser,
    @Param('jobId') jobId: string,
    @Param('deliveryId') deliveryId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WebhookRedeliveryView> {
    await this.webhooks.redeliver(user, jobId, deliveryId);
    void reply.header('location', `/v1/jobs/${jobId}/deliveries`);
    return { deliveryId, status: 'queued' };
  }
}

function toView(attempt: WebhookAttemptRecord): WebhookDeliveryAttemptView {
  return {
    deliveryId: attempt.eventId,
    event: attempt.type,
    attempt: attempt.attempt,
    attemptedAt: attempt.attemptedAt,
    outcome: attempt.outcome,
    statusCode: attempt.statusCode ?? null,
    durationMs: attempt.durationMs,
    error: attempt.error ?? null,
    nextAttemptAt: attempt.nextAttemptAt ?? null,
  };
}
