import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { rethrowAws } from '../errors/dependency.error.js';
import type { S3Location } from './s3-uri.js';

export class ObjectNotFoundError extends Error {
  constructor(readonly location: S3Location) {
    super(`no object at s3://${location.bucket}/${location.key}`);
    this.name = 'ObjectNotFoundError';
  }
}

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

  /** Deletes an object; one that does not exist (nor its bucket) is already gone, which is not an error. */
  async delete(location: S3Location): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: location.bucket, Key: location.key }));
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (error instanceof NoSuchKey || name === 'NoSuchKey' || name === 'NoSuchBucket') {
        return;
      }
      rethrowAws('S3', error);
    }
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
