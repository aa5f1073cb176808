import { ApiProperty } from '@nestjs/swagger';
import { WebhookAttemptOutcome } from '#libs/aws';

const DELIVERY_ID_EXAMPLE = '01JD0000000000000000000000.completed';

export class WebhookSecretView {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'Your Standard Webhooks signing secret: verify every delivery with it',
  })
  secret!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'After a rotation, until this instant deliveries are signed with the previous secret too (both signatures in ' +
      '`webhook-signature`); null when no previous secret signs any more',
  })
  previousSecretRetiresAt!: string | null;
}

export class WebhookDeliveryAttemptView {
  @ApiProperty({
    example: DELIVERY_ID_EXAMPLE,
    description: 'The event’s delivery id, also its `webhook-id` header (the same on every attempt and redelivery)',
  })
  deliveryId!: string;
  @ApiProperty({ example: 'job.completed', enum: ['job.queued', 'job.running', 'job.progress', 'job.completed'] })
  event!: string;
  @ApiProperty({
    type: 'integer',
    example: 1,
    description: '1 for a delivery’s first attempt; a redelivery restarts at 1',
  })
  attempt!: number;
  @ApiProperty({ format: 'date-time' }) attemptedAt!: string;
  @ApiProperty({
    enum: Object.values(WebhookAttemptOutcome),
    example: 'retrying',
    description:
      '`delivered`: a 2xx answer. `retrying`: failed, tried again at nextAttemptAt. `failed`: failed and the retry ' +
      'window (24 h) is over. `blocked`: not sent, the URL resolves to an address webhooks may not reach',
  })
  outcome!: WebhookAttemptOutcome;
  @ApiProperty({ type: 'integer', nullable: true, example: 500, description: 'The receiver’s status; null: no answer' })
  statusCode!: number | null;
  @ApiProperty({ type: 'integer', example: 112, description: 'From connecting to the end of the answer, in ms' })
  durationMs!: number;
  @ApiProperty({ type: String, nullable: true, example: 'the receiver answered 500' }) error!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the next attempt is due' })
  nextAttemptAt!: string | null;
}

export class WebhookDeliveryPageView {
  @ApiProperty({ type: [WebhookDeliveryAttemptView], description: 'Attempts, oldest first' })
  items!: WebhookDeliveryAttemptView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null: no more' })
  nextCursor!: string | null;
}

export class WebhookRedeliveryView {
  @ApiProperty({ example: DELIVERY_ID_EXAMPLE }) deliveryId!: string;
  @ApiProperty({
    enum: ['queued'],
    example: 'queued',
    description: 'The event is queued to be sent again from attempt 1',
  })
  status!: 'queued';
}
