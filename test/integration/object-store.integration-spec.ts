import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ulid } from 'ulid';
import { startTestStack, type TestStack } from '../support/test-stack.js';
import { loadAwsConfig, loadResourcesConfig } from '#libs/config';
import { createS3Client } from '#libs/aws';
import { ObjectNotFoundError, ObjectStore, PresignedUrls } from '#libs/aws';

describe('ObjectStore (fauxqs S3)', () => {
  let store: ObjectStore;
  let bucket: string;

  let stack: TestStack;

  afterAll(async () => {
    await stack?.stop();
  });

  beforeAll(async () => {
    stack = await startTestStack();
    store = new ObjectStore(createS3Client(loadAwsConfig(stack.env)));
    bucket = loadResourcesConfig(stack.env).imagesBucket;
  });

  it('puts and gets bytes with their content type', async () => {
    const location = { bucket, key: `test/${ulid()}.bin` };
    await store.put(location, Buffer.from([1, 2, 3]), 'application/octet-stream');
    await expect(store.get(location)).resolves.toEqual({
      body: Buffer.from([1, 2, 3]),
      contentType: 'application/octet-stream',
    });
  });

  it('reports a missing object as ObjectNotFoundError', async () => {
    await expect(store.get({ bucket, key: `missing/${ulid()}` })).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it('reuses a presigned URL within its half-life, and the reused URL still downloads the object', async () => {
    const location = { bucket, key: `test/${ulid()}.json` };
    await store.putJson(location, { reused: true });
    const urls = new PresignedUrls(store, 120);
    const first = await urls.get(location);
    // a second later a fresh signature would differ (X-Amz-Date has second precision)
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const again = await urls.get(location);
    expect(again).toBe(first);
    expect(await store.presignGet(location, 120)).not.toBe(first);
    const response = await fetch(again);
    expect(response.status).toBe(200);
    await expect(response.json()).resolves.toEqual({ reused: true });
  });

  it('presigns a GET URL that downloads the object and expires as asked', async () => {
    const location = { bucket, key: `test/${ulid()}.json` };
    await store.putJson(location, { hello: 'world' });
    const url = new URL(await store.presignGet(location, 120));
    expect(url.searchParams.get('X-Amz-Expires')).toBe('120');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(url.pathname).toBe(`/${bucket}/${location.key}`);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    await expect(response.json()).resolves.toEqual({ hello: 'world' });
  });
});
