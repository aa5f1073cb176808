import { describe, expect, it } from '@jest/globals';
import type { S3Location } from './s3-uri.js';
import { PresignedUrls } from './presigned-urls.js';

/** A presigner that numbers its signatures, on a clock the test moves. */
function setup(expiresInSeconds: number) {
  const clock = { now: 1_000_000 };
  const signed: Array<{ key: string; expiresInSeconds: number }> = [];
  const urls = new PresignedUrls(
    {
      presignGet: (location: S3Location, expiresIn: number) => {
        signed.push({ key: location.key, expiresInSeconds: expiresIn });
        return Promise.resolve(`https://s3.example/${location.bucket}/${location.key}?signature=${signed.length}`);
      },
    },
    expiresInSeconds,
    () => clock.now,
  );
  return { urls, signed, clock };
}

const image = (key: string): S3Location => ({ bucket: 'images', key });

describe(PresignedUrls.name, () => {
  it('signs an object once and gives the same URL while it has half its lifetime left', async () => {
    const { urls, signed, clock } = setup(900);
    const first = await urls.get(image('a.png'));
    clock.now += 450_000 - 1;
    await expect(urls.get(image('a.png'))).resolves.toBe(first);
    expect(signed).toEqual([{ key: 'a.png', expiresInSeconds: 900 }]);
  });

  it('signs it again at its half-life, so no URL handed out has less than half its lifetime left', async () => {
    const { urls, signed, clock } = setup(900);
    const first = await urls.get(image('a.png'));
    clock.now += 450_000;
    const second = await urls.get(image('a.png'));
    expect(second).not.toBe(first);
    expect(signed).toHaveLength(2);
  });

  it('keeps each object’s URL apart, bucket included', async () => {
    const { urls, signed } = setup(900);
    const a = await urls.get(image('a.png'));
    const b = await urls.get(image('b.png'));
    const other = await urls.get({ bucket: 'other', key: 'a.png' });
    expect(new Set([a, b, other]).size).toBe(3);
    expect(signed).toHaveLength(3);
  });
});
