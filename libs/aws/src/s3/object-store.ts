import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { DependencyUnavailableError, rethrowAws } from '../errors/dependency.error.js';
import type { S3Location } from './s3-uri.js';

export class ObjectNotFoundError extends Error {
  constructor(readonly location: S3Location) {
    super(`no object at s3://${location.bucket}/${location.key}`);
    this.name = 'ObjectNotFoundError';
  }
}

/** DeleteObjects' limit of keys per call. */
const DELETE_OBJECTS_MAX_KEYS = 1000;

export interface StoredObject {
  body: Buffer;
  contentType?: string;
}

/** Objects in S3: request JSON, SageMaker outputs and failures, generated images. Buckets are private. */
export class ObjectStore {
  constructor(private readonly client: S3Client) {}

  async putJson(location: S3Location, value: unknown): Promise<void> {
    await this.put(location, Buffer.from(JSON.stringify(value)), 'application/json');
  }

  async put(location: S3Location, body: Buffer, contentType: string): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({ Bucket: location.bucket, Key: location.key, Body: body, ContentType: contentType }),
      );
    } catch (error) {
      rethrowAws('S3', error);
    }
  }

  async get(location: S3Location): Promise<StoredObject> {
    try {
      const result = await this.client.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
      const body = Buffer.from(await result.Body!.transformToByteArray());
      return result.ContentType ? { body, contentType: result.ContentType } : { body };
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') {
        throw new ObjectNotFoundError(location);
      }
      return rethrowAws('S3', error);
    }
  }

  /** Whether an object exists (HeadObject). */
  async exists(location: S3Location): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: location.bucket, Key: location.key }));
      return true;
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (error instanceof NotFound || error instanceof NoSuchKey || name === 'NotFound' || name === 'NoSuchKey') {
        return false;
      }
      return rethrowAws('S3', error);
    }
  }

  /**
   * Deletes objects (DeleteObjects, up to 1000 keys a call, grouped by bucket). A missing key (or bucket) is no
   * error, so a repeated deletion is harmless; a key S3 could not delete is thrown as a dependency failure (try again).
   */
  async deleteMany(locations: readonly S3Location[]): Promise<void> {
    const byBucket = new Map<string, Set<string>>();
    for (const { bucket, key } of locations) {
      byBucket.set(bucket, (byBucket.get(bucket) ?? new Set()).add(key));
    }
    for (const [bucket, keySet] of byBucket) {
      const keys = [...keySet];
      for (let start = 0; start < keys.length; start += DELETE_OBJECTS_MAX_KEYS) {
        const chunk = keys.slice(start, start + DELETE_OBJECTS_MAX_KEYS);
        let result;
        try {
          result = await this.client.send(
            new DeleteObjectsCommand({
              Bucket: bucket,
              Delete: { Objects: chunk.map((Key) => ({ Key })), Quiet: true },
            }),
          );
        } catch (error) {
          if ((error as { name?: string }).name === 'NoSuchBucket') {
            // a bucket that is gone holds nothing left to delete
            break;
          }
          return rethrowAws('S3', error);
        }
        const failed = (result.Errors ?? []).filter((entry) => entry.Code !== 'NoSuchKey');
        if (failed.length > 0) {
          throw new DependencyUnavailableError(
            'S3',
            `S3 could not delete ${failed.length} objects, e.g. ${failed[0]!.Key}: ${failed[0]!.Code}`,
          );
        }
      }
    }
  }

  /** The keys under a prefix (ListObjectsV2, every page). */
  async listKeys(bucket: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await this.client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }),
        );
        keys.push(...(page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : [])));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch (error) {
      return rethrowAws('S3', error);
    }
    return keys;
  }

  /** A short-lived GET URL for a private object. */
  async presignGet(location: S3Location, expiresInSeconds: number): Promise<string> {
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: location.bucket, Key: location.key }), {
      expiresIn: expiresInSeconds,
    });
  }

  /** Readiness probe: the bucket exists and we may use it. */
  async ping(bucket: string): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: bucket }));
  }
}
