import { z } from 'zod';

/**
 * The JSON SageMaker asynchronous inference publishes to the success / error SNS topics
 * (shared/reference/aws.md section 2.1). Unknown fields are kept out; the ones we rely on are checked.
 */
export const sageMakerNotificationSchema = z.object({
  awsRegion: z.string().optional(),
  eventTime: z.string().optional(),
  receivedTime: z.string().optional(),
  invocationStatus: z.enum(['Completed', 'Failed']),
  failureReason: z.string().optional(),
  // Not confirmed from a live capture: some designs put the failure location at the top level.
  failureLocation: z.string().optional(),
  requestParameters: z
    .object({
      accept: z.string().optional(),
      contentType: z.string().optional(),
      endpointName: z.string().optional(),
      inputLocation: z.string().optional(),
    })
    .optional(),
  responseParameters: z
    .object({
      contentType: z.string().optional(),
      outputLocation: z.string().optional(),
      failureLocation: z.string().optional(),
    })
    .optional(),
  inferenceId: z.string().min(1),
  eventVersion: z.string().optional(),
  eventSource: z.literal('aws:sagemaker'),
  eventName: z.literal('InferenceResult'),
});

export type SageMakerNotification = z.output<typeof sageMakerNotificationSchema>;

const snsEnvelopeSchema = z.object({
  Type: z.literal('Notification'),
  MessageId: z.string(),
  TopicArn: z.string().optional(),
  Message: z.string(),
});

export class MalformedNotificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedNotificationError';
  }
}

/**
 * Reads an SQS message body holding a SageMaker notification, with or without the SNS envelope
 * (RawMessageDelivery false / true). Throws MalformedNotificationError when it cannot be one.
 */
export function parseSageMakerNotification(body: string): SageMakerNotification {
  let outer: unknown;
  try {
    outer = JSON.parse(body);
  } catch {
    throw new MalformedNotificationError('message body is not JSON');
  }
  let event: unknown = outer;
  const envelope = snsEnvelopeSchema.safeParse(outer);
  if (envelope.success) {
    try {
      event = JSON.parse(envelope.data.Message);
    } catch {
      throw new MalformedNotificationError('SNS Message is not JSON');
    }
  }
  const parsed = sageMakerNotificationSchema.safeParse(event);
  if (!parsed.success) {
    throw new MalformedNotificationError(
      `not a SageMaker notification: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

/** Where the failure payload is, wherever this notification put it. */
export function failureLocationOf(notification: SageMakerNotification): string | undefined {
  return notification.failureLocation ?? notification.responseParameters?.failureLocation;
}
