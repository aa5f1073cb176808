import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '#libs/aws';
import type { AwsConfig } from '#libs/config';
import type { S3Location } from './s3-uri.js';

/** The S3 operations the stub needs: read an invocation's input, write its output or failure payload. */
export interface ObjectStore {
  get(location: S3Location): Promise<Buffer>;
  put(location: S3Location, body: Buffer, contentType: string): Promise<void>;
  close(): void;
}

export class S3ObjectStore implements ObjectStore {
  private readonly client: S3Client;

  constructor(aws: AwsConfig) {
    this.client = createS3Client(aws);
  }

  async get({ bucket, key }: S3Location): Promise<Buffer> {
    const response = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!response.Body) {
      return Buffer.alloc(0);
    }
    return Buffer.from(await response.Body.transformToByteArray());
  }

  async put({ bucket, key }: S3Location, body: Buffer, contentType: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
  }

  close(): void {
    this.client.destroy();
  }
}
