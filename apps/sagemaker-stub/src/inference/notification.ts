/** The request fields SageMaker echoes in `requestParameters` (only those that were set). */
export interface NotificationRequest {
  accept?: string;
  contentType?: string;
  endpointName: string;
  inputLocation?: string;
}

interface NotificationBase {
  region: string;
  receivedTime: Date;
  eventTime: Date;
  inferenceId: string;
  request: NotificationRequest;
}

export interface SuccessNotificationInput extends NotificationBase {
  /** Content-Type the container answered with. */
  responseContentType: string;
  outputLocation: string;
}

export interface ErrorNotificationInput extends NotificationBase {
  failureReason: string;
  failureLocation?: string;
}

function requestParameters(request: NotificationRequest): Record<string, string> {
  return {
    ...(request.accept !== undefined ? { accept: request.accept } : {}),
    ...(request.contentType !== undefined ? { contentType: request.contentType } : {}),
    endpointName: request.endpointName,
    ...(request.inputLocation !== undefined ? { inputLocation: request.inputLocation } : {}),
  };
}

/** SageMaker's success notification, field for field (reference/aws.md section 2.1, a real capture). */
export function successNotification(input: SuccessNotificationInput): Record<string, unknown> {
  return {
    awsRegion: input.region,
    eventTime: input.eventTime.toISOString(),
    receivedTime: input.receivedTime.toISOString(),
    invocationStatus: 'Completed',
    requestParameters: requestParameters(input.request),
    responseParameters: { contentType: input.responseContentType, outputLocation: input.outputLocation },
    inferenceId: input.inferenceId,
    eventVersion: '1.0',
    eventSource: 'aws:sagemaker',
    eventName: 'InferenceResult',
  };
}

/**
 * SageMaker's error notification (reference/aws.md section 2.1, from a docstring, not a live capture). Where the
 * failure location appears is unconfirmed in AWS: the stub puts it both at the top level (`failureLocation`) and
 * in `responseParameters.failureLocation`, so a consumer that reads either works.
 */
export function errorNotification(input: ErrorNotificationInput): Record<string, unknown> {
  return {
    awsRegion: input.region,
    eventTime: input.eventTime.toISOString(),
    receivedTime: input.receivedTime.toISOString(),
    invocationStatus: 'Failed',
    failureReason: input.failureReason,
    ...(input.failureLocation !== undefined ? { failureLocation: input.failureLocation } : {}),
    requestParameters: requestParameters(input.request),
    ...(input.failureLocation !== undefined ? { responseParameters: { failureLocation: input.failureLocation } } : {}),
    inferenceId: input.inferenceId,
    eventVersion: '1.0',
    eventSource: 'aws:sagemaker',
    eventName: 'InferenceResult',
  };
}

const LOGS_HINT = 'See the SageMaker Endpoint logs in your account for more information.';

/** `ClientError: Received server error (500) from model with message "...". See ...` (SageMaker's wording). */
export function modelFailureReason(statusCode: number, message: string | undefined): string {
  const kind = statusCode >= 500 ? 'server' : 'client';
  const detail = message ? ` with message "${message}"` : '';
  return `ClientError: Received ${kind} error (${statusCode}) from model${detail}. ${LOGS_HINT}`;
}
