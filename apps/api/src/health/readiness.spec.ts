import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { type HealthIndicatorResult, TerminusModule } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import { type AutoMocked, automock } from '#libs/testing';
import { AwsHealthIndicators } from './aws.health.js';
import { READINESS_CACHE_MS, ReadinessCheck } from './readiness.js';

const up = (key: string): HealthIndicatorResult => ({ [key]: { status: 'up' } });
const down = (key: string): HealthIndicatorResult => ({ [key]: { status: 'down' } });

/** A promise the test settles by hand. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}

describe(ReadinessCheck.name, () => {
  let sut: ReadinessCheck;
  let aws: AutoMocked<AwsHealthIndicators>;

  beforeEach(async () => {
    jest.useFakeTimers({
      now: new Date('2026-11-26T12:00:00Z'),
      doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'],
    });
    aws = automock(AwsHealthIndicators);
    aws.dynamodb.mockImplementation(async () => up('dynamodb'));
    aws.s3.mockImplementation(async () => up('s3'));
    const module = await Test.createTestingModule({
      imports: [TerminusModule.forRoot({ logger: false })],
      providers: [ReadinessCheck, { provide: AwsHealthIndicators, useValue: aws }],
    }).compile();
    sut = module.get(ReadinessCheck);
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('reports ready when the jobs table and the buckets answer, and checks nothing else', async () => {
    await expect(sut.check()).resolves.toMatchObject({ ready: true, report: { status: 'ok' } });
    expect(aws.dynamodb).toHaveBeenCalledTimes(1);
    expect(aws.s3).toHaveBeenCalledTimes(1);
  });

  it('reports not ready when one dependency is down', async () => {
    aws.dynamodb.mockImplementation(async () => down('dynamodb'));
    await expect(sut.check()).resolves.toMatchObject({
      ready: false,
      report: { status: 'error', details: { dynamodb: { status: 'down' }, s3: { status: 'up' } } },
    });
  });

  it('shares one probe between concurrent requests', async () => {
    const table = deferred<HealthIndicatorResult>();
    aws.dynamodb.mockImplementation(() => table.promise);
    const answers = Array.from({ length: 20 }, () => sut.check());
    table.resolve(up('dynamodb'));
    const results = await Promise.all(answers);
    expect(new Set(results).size).toBe(1);
    expect(aws.dynamodb).toHaveBeenCalledTimes(1);
  });

  it(`answers from the last probe for ${READINESS_CACHE_MS} ms after it finished, then probes again`, async () => {
    await sut.check();
    jest.advanceTimersByTime(READINESS_CACHE_MS - 1);
    aws.dynamodb.mockImplementation(async () => down('dynamodb'));
    await expect(sut.check()).resolves.toMatchObject({ ready: true });
    expect(aws.dynamodb).toHaveBeenCalledTimes(1);

    jest.advanceTimersByTime(1);
    await expect(sut.check()).resolves.toMatchObject({ ready: false });
    expect(aws.dynamodb).toHaveBeenCalledTimes(2);
  });

  it('counts the cache from when a slow probe finished, not from when it started', async () => {
    const table = deferred<HealthIndicatorResult>();
    aws.dynamodb.mockImplementationOnce(() => table.promise);
    const first = sut.check();
    jest.advanceTimersByTime(READINESS_CACHE_MS * 3);
    table.resolve(up('dynamodb'));
    await first;
    jest.advanceTimersByTime(READINESS_CACHE_MS - 1);
    await sut.check();
    expect(aws.dynamodb).toHaveBeenCalledTimes(1);
  });
});
