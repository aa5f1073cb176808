import { errorNotification, modelFailureReason, successNotification } from './notification.js';

const base = {
  region: 'us-east-1',
  receivedTime: new Date('2023-05-23T03:23:09.588Z'),
  eventTime: new Date('2023-05-23T03:23:21.814Z'),
  inferenceId: '8a80ed4e-1ff9-4c2b-bf16-31bdd5d17835',
  request: {
    accept: 'application/json;jpeg',
    contentType: 'application/json',
    endpointName: 'imggen-sd21-async',
    inputLocation: 's3://requests/requests/job.json',
  },
};

describe('SageMaker notifications', () => {
  it('builds the success notification exactly like the captured one (reference section 2.1)', () => {
    const notification = successNotification({
      ...base,
      responseContentType: 'application/json;jpeg',
      outputLocation: 's3://outputs/async-out/2f4dcf85-01b8-418c-8c93-2b30fcdd1ab8.out',
    });
    expect(JSON.stringify(notification)).toBe(
      JSON.stringify({
        awsRegion: 'us-east-1',
        eventTime: '2023-05-23T03:23:21.814Z',
        receivedTime: '2023-05-23T03:23:09.588Z',
        invocationStatus: 'Completed',
        requestParameters: {
          accept: 'application/json;jpeg',
          contentType: 'application/json',
          endpointName: 'imggen-sd21-async',
          inputLocation: 's3://requests/requests/job.json',
        },
        responseParameters: {
          contentType: 'application/json;jpeg',
          outputLocation: 's3://outputs/async-out/2f4dcf85-01b8-418c-8c93-2b30fcdd1ab8.out',
        },
        inferenceId: '8a80ed4e-1ff9-4c2b-bf16-31bdd5d17835',
        eventVersion: '1.0',
        eventSource: 'aws:sagemaker',
        eventName: 'InferenceResult',
      }),
    );
  });

  it('lists only the request parameters that were set', () => {
    const notification = successNotification({
      ...base,
      request: { endpointName: 'e' },
      responseContentType: 'application/json',
      outputLocation: 's3://o/k.out',
    });
    expect(notification.requestParameters).toEqual({ endpointName: 'e' });
  });

  it('builds the error notification with the failure location in both places', () => {
    const notification = errorNotification({
      ...base,
      failureReason: 'ClientError: boom',
      failureLocation: 's3://outputs/async-failures/x-error.out',
    });
    expect(Object.keys(notification)).toEqual([
      'awsRegion',
      'eventTime',
      'receivedTime',
      'invocationStatus',
      'failureReason',
      'failureLocation',
      'requestParameters',
      'responseParameters',
      'inferenceId',
      'eventVersion',
      'eventSource',
      'eventName',
    ]);
    expect(notification).toMatchObject({
      invocationStatus: 'Failed',
      failureReason: 'ClientError: boom',
      failureLocation: 's3://outputs/async-failures/x-error.out',
      responseParameters: { failureLocation: 's3://outputs/async-failures/x-error.out' },
    });
    const withoutLocation = errorNotification({ ...base, failureReason: 'x' });
    expect(withoutLocation).not.toHaveProperty('failureLocation');
    expect(withoutLocation).not.toHaveProperty('responseParameters');
  });

  it('words model failures like SageMaker', () => {
    expect(modelFailureReason(500, undefined)).toBe(
      'ClientError: Received server error (500) from model. See the SageMaker Endpoint logs in your account for more information.',
    );
    expect(modelFailureReason(400, 'bad width')).toBe(
      'ClientError: Received client error (400) from model with message "bad width". See the SageMaker Endpoint logs in your account for more information.',
    );
  });
});
