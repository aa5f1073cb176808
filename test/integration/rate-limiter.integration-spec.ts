import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ulid } from 'ulid';
import { createDynamoDbAggregatedClient, DependencyUnavailableError, RateLimiter } from '#libs/aws';
import { loadAwsConfig, loadResourcesConfig } from '#libs/config';
import { startTestStack, type TestStack } from '../support/test-stack.js';

describe('RateLimiter (rate-limiter-flexible on dynalite)', () => {
  let stack: TestStack;
  let limiterOf: () => RateLimiter;
  const policy = { name: 'test-per-minute', points: 5, windowSeconds: 60 };

  beforeAll(async () => {
    stack = await startTestStack();
    const aws = loadAwsConfig(stack.env);
    const table = loadResourcesConfig(stack.env).rateLimitsTable;
    // a fresh client and adapter each time, as each api instance has its own
    limiterOf = () => new RateLimiter(createDynamoDbAggregatedClient(aws), table);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('counts down within the window and refuses past the limit, saying when the window ends', async () => {
    const limiter = limiterOf();
    const key = `user-${ulid()}`;
    const standings = [];
    for (let i = 0; i < 6; i += 1) {
      standings.push(await limiter.consume(policy, key));
    }
    expect(standings.map((s) => [s.allowed, s.remaining])).toEqual([
      [true, 4],
      [true, 3],
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
    for (const { resetSeconds } of standings) {
      expect(resetSeconds).toBeGreaterThan(0);
      expect(resetSeconds).toBeLessThanOrEqual(60);
    }
    // another key has its own window
    await expect(limiter.consume(policy, `user-${ulid()}`)).resolves.toMatchObject({ allowed: true, remaining: 4 });
  });

  it('costs one write per request while the window is open, two to open it', async () => {
    const client = createDynamoDbAggregatedClient(loadAwsConfig(stack.env));
    let writes = 0;
    client.middlewareStack.add(
      (next) => (args) => {
        writes += 1;
        return next(args);
      },
      { step: 'initialize' },
    );
    const limiter = new RateLimiter(client, loadResourcesConfig(stack.env).rateLimitsTable);
    const key = `user-${ulid()}`;
    await limiter.consume(policy, key);
    expect(writes).toBe(2); // "window open?" refused, then the new window
    for (let i = 0; i < 3; i += 1) {
      await limiter.consume(policy, key);
    }
    expect(writes).toBe(2 + 3);
  });

  it('lets exactly the limit through when two instances consume in parallel for one key', async () => {
    const [first, second] = [limiterOf(), limiterOf()];
    const key = `user-${ulid()}`;
    const standings = await Promise.all(
      Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? first : second).consume(policy, key)),
    );
    expect(standings.filter((s) => s.allowed)).toHaveLength(policy.points);
  });

  it('gives a point back with reward', async () => {
    const limiter = limiterOf();
    const key = `user-${ulid()}`;
    for (let i = 0; i < policy.points; i += 1) {
      await limiter.consume(policy, key);
    }
    await limiter.reward(policy, key);
    await expect(limiter.consume(policy, key)).resolves.toMatchObject({ allowed: true, remaining: 0 });
    await expect(limiter.consume(policy, key)).resolves.toMatchObject({ allowed: false });
  });

  it('turns a store failure into DependencyUnavailableError, never an answer', async () => {
    const aws = loadAwsConfig(stack.env);
    const broken = new RateLimiter(createDynamoDbAggregatedClient(aws), 'no-such-table');
    await expect(broken.consume(policy, 'someone')).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(broken.reward(policy, 'someone')).rejects.toBeInstanceOf(DependencyUnavailableError);
  });
});
