import { describe, expect, it } from '@jest/globals';
import { DEFAULT_QUEUE_SETTINGS } from '#libs/local-stack';
import { DEFAULT_MAX_RECEIVE_COUNT, loadWorkerConfig } from '../config/worker.config.js';
import { DEFAULT_LOCAL_PORTS, localEnvironment } from '#libs/config';
import {
  backoffStepSeconds,
  isLastReceive,
  minimumRetryWindowSeconds,
  retryDelaySeconds,
  type RetryPolicy,
} from './retry-policy.js';

const policy: RetryPolicy = {
  baseDelaySeconds: 10,
  maxDelaySeconds: 300,
  jitterRatio: 0.2,
  maxReceiveCount: 10,
  poisonDelaySeconds: 2,
};

describe('retry policy', () => {
  it('doubles the delay with each receive, up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((receive) => backoffStepSeconds(policy, receive))).toEqual([
      10, 20, 40, 80, 160, 300, 300, 300,
    ]);
    expect(backoffStepSeconds(policy, 0)).toBe(10);
  });

  it('never asks for more than the 12 hours SQS accepts as a visibility timeout', () => {
    const patient = { ...policy, maxDelaySeconds: 100_000 };
    expect(backoffStepSeconds(patient, 12)).toBe(20_480);
    expect(backoffStepSeconds(patient, 13)).toBe(40_960);
    expect(backoffStepSeconds(patient, 14)).toBe(43_200);
    expect(retryDelaySeconds(patient, 30, () => 0)).toBe(43_200);
  });

  it('jitters each delay down by at most jitterRatio, rounded up to whole seconds', () => {
    expect(retryDelaySeconds(policy, 3, () => 0)).toBe(40);
    expect(retryDelaySeconds(policy, 3, () => 0.5)).toBe(36);
    expect(retryDelaySeconds(policy, 3, () => 0.999)).toBe(33);
    expect(retryDelaySeconds({ ...policy, baseDelaySeconds: 1 }, 1, () => 0.999)).toBe(1);
    expect(retryDelaySeconds(policy, 6, () => 1)).toBe(240);
    expect(retryDelaySeconds({ ...policy, baseDelaySeconds: 0 }, 4, () => 0.3)).toBe(0);
  });

  it('knows the last receive before the DLQ', () => {
    expect(isLastReceive(policy, 9)).toBe(false);
    expect(isLastReceive(policy, 10)).toBe(true);
    expect(isLastReceive(policy, 11)).toBe(true);
  });

  it('sums the shortest possible delays between the first and the last receive', () => {
    expect(minimumRetryWindowSeconds({ ...policy, jitterRatio: 0, maxReceiveCount: 4 })).toBe(10 + 20 + 40);
    expect(minimumRetryWindowSeconds({ ...policy, maxReceiveCount: 3 })).toBe(8 + 16);
    expect(minimumRetryWindowSeconds({ ...policy, maxReceiveCount: 1 })).toBe(0);
  });

  it('with the defaults, outlasts a 15-minute DynamoDB or S3 outage before a message can reach the DLQ', () => {
    const config = loadWorkerConfig(localEnvironment({ ports: DEFAULT_LOCAL_PORTS }));
    expect(config.consumer.retry).toMatchObject({ baseDelaySeconds: 10, maxDelaySeconds: 300, maxReceiveCount: 10 });
    // 8 + 16 + 32 + 64 + 128 + 4 × 240 s: even with the most jitter, the last receive is ≥ 15 min after the first
    expect(minimumRetryWindowSeconds(config.consumer.retry)).toBe(1208);
    expect(minimumRetryWindowSeconds(config.consumer.retry)).toBeGreaterThanOrEqual(15 * 60);
  });

  it('matches the redrive maxReceiveCount the queue is provisioned with', () => {
    expect(DEFAULT_QUEUE_SETTINGS.maxReceiveCount).toBe(DEFAULT_MAX_RECEIVE_COUNT);
  });
});
