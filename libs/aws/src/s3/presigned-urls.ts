import { LRUCache } from 'lru-cache';
import type { ObjectStore } from './object-store.js';
import type { S3Location } from './s3-uri.js';

/** URLs kept, the most recently used first (about 1 KB each). */
export const PRESIGNED_URLS_CACHED = 5_000;

/**
 * Presigned GET URLs for objects, each reused while it has at least half of its lifetime left. Signing one costs
 * about 1 ms of CPU and a page of `GET /v1/jobs` holds up to 400 images. An unchanged URL also lets a browser keep
 * the image it already has while it polls the job. Whoever receives a URL has at least `expiresInSeconds / 2` left
 * to use it.
 */
export class PresignedUrls {
  private readonly urls: LRUCache<string, string>;

  constructor(
    private readonly objects: Pick<ObjectStore, 'presignGet'>,
    private readonly expiresInSeconds: number,
    now: () => number = Date.now,
  ) {
    this.urls = new LRUCache<string, string>({
      max: PRESIGNED_URLS_CACHED,
      // lru-cache serves an entry until its age exceeds `ttl`: one ms less, so none is served past its half-life
      ttl: (expiresInSeconds * 1000) / 2 - 1,
      ttlResolution: 0,
      perf: { now },
    });
  }

  async get(location: S3Location): Promise<string> {
    const id = `${location.bucket}/${location.key}`;
    const reused = this.urls.get(id);
    if (reused !== undefined) {
      return reused;
    }
    const url = await this.objects.presignGet(location, this.expiresInSeconds);
    this.urls.set(id, url);
    return url;
  }
}
