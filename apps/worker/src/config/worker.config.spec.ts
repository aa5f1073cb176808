import { describe, expect, it } from '@jest/globals';
import { ConfigValidationError, DEFAULT_LOCAL_PORTS, localEnvironment } from '#libs/config';
import { loadWorkerConfig } from './worker.config.js';

const local = localEnvironment({ ports: DEFAULT_LOCAL_PORTS });

describe(loadWorkerConfig.name, () => {
  it('has defaults that outlast an outage and stop within ECS’s 30 s stop timeout', () => {
    const config = loadWorkerConfig(local);
    expect(config.consumer).toEqual({
      concurrency: 4,
      batchSize: 10,
      waitTimeSeconds: 20,
      visibilityTimeoutSeconds: 60,
      retry: {
        baseDelaySeconds: 10,
        maxDelaySeconds: 300,
        jitterRatio: 0.2,
        maxReceiveCount: 10,
        poisonDelaySeconds: 2,
      },
      shutdownTimeoutMs: 25_000,
    });
    // 2 × (20 s long poll + 10 s request timeout + 20 s the SQS client allows for the long poll)
    expect(config.health).toEqual({ host: '127.0.0.1', port: 3001, stallAfterMs: 100_000 });
  });

  it('runs the reaper by default: every 10 s, 25 jobs per shard, 30 s after a deadline', () => {
    expect(loadWorkerConfig(local).reaper).toEqual({
      enabled: true,
      intervalMs: 10_000,
      batchSize: 25,
      graceMs: 30_000,
    });
    expect(
      loadWorkerConfig({
        ...local,
        WORKER_REAPER_ENABLED: 'false',
        WORKER_REAPER_INTERVAL_MS: '100',
        WORKER_REAPER_BATCH_SIZE: '5',
        WORKER_REAPER_GRACE_SECONDS: '0',
      }).reaper,
    ).toEqual({ enabled: false, intervalMs: 100, batchSize: 5, graceMs: 0 });
    expect(() => loadWorkerConfig({ ...local, WORKER_REAPER_BATCH_SIZE: '101' })).toThrow(/WORKER_REAPER_BATCH_SIZE/);
  });

  it('listens on every interface outside the local environment', () => {
    const { WORKER_HEALTH_HOST: _host, WORKER_HEALTH_PORT: _port, ...aws } = local;
    expect(loadWorkerConfig(aws).health).toMatchObject({ host: '0.0.0.0', port: 3001 });
  });

  it('derives the stall bound from the wait and the request timeout', () => {
    const config = loadWorkerConfig({ ...local, WORKER_WAIT_TIME_SECONDS: '1', AWS_REQUEST_TIMEOUT_MS: '300' });
    expect(config.health.stallAfterMs).toBe(4_600);
  });

  it.each([
    ['WORKER_VISIBILITY_TIMEOUT_SECONDS', '1'],
    ['WORKER_RETRY_BASE_DELAY_SECONDS', '0'],
    ['WORKER_WAIT_TIME_SECONDS', '21'],
    ['WORKER_SHUTDOWN_TIMEOUT_MS', '0'],
    ['WORKER_HEALTH_PORT', '70000'],
  ])('rejects %s=%s', (name, value) => {
    expect(() => loadWorkerConfig({ ...local, [name]: value })).toThrow(ConfigValidationError);
    expect(() => loadWorkerConfig({ ...local, [name]: value })).toThrow(new RegExp(name));
  });
});
