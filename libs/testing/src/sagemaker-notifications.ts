/** SageMaker notifications as they arrive on SQS through SNS (reference/aws.md section 2), for tests. */
export function completedNotification(
  inferenceId: string,
  outputLocation: string,
  endpointName = 'imggen-sdxl-async',
): object {
  return {
    awsRegion: 'us-east-1',
    eventTime: new Date().toISOString(),
    receivedTime: new Date(Date.now() - 1000).toISOString(),
    invocationStatus: 'Completed',
    requestParameters: {
      accept: 'application/json',
      contentType: 'application/json',
      endpointName,
      inputLocation: `s3://requests/requests/${inferenceId}.json`,
    },
    responseParameters: { contentType: 'application/json', outputLocation },
    inferenceId,
    eventVersion: '1.0',
    eventSource: 'aws:sagemaker',
    eventName: 'InferenceResult',
  };
}

export function failedNotification(inferenceId: string, failureReason: string, failureLocation?: string): object {
  return {
    awsRegion: 'us-east-1',
    eventTime: new Date().toISOString(),
    receivedTime: new Date(Date.now() - 1000).toISOString(),
    invocationStatus: 'Failed',
    failureReason,
    ...(failureLocation ? { failureLocation } : {}),
    requestParameters: {
      endpointName: 'imggen-sdxl-async',
      inputLocation: `s3://requests/requests/${inferenceId}.json`,
    },
    inferenceId,
    eventVersion: '1.0',
    eventSource: 'aws:sagemaker',
    eventName: 'InferenceResult',
  };
}

/** Wraps a message the way SNS delivers it to SQS with RawMessageDelivery=false. */
export function snsEnvelope(
  message: object,
  topicArn = 'arn:aws:sns:us-east-1:000000000000:inference-success',
): string {
  return JSON.stringify({
    Type: 'Notification',
    MessageId: crypto.randomUUID(),
    TopicArn: topicArn,
    Message: JSON.stringify(message),
    Timestamp: new Date().toISOString(),
    SignatureVersion: '1',
    Signature: 'EXAMPLE',
    SigningCertURL: 'https://sns.us-east-1.amazonaws.com/cert.pem',
    UnsubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
  });
}
