import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client, ObjectStore, type S3Location } from '#libs/aws';
import type { AwsConfig } from '#libs/config';

/** The S3 operations the stub needs: read an invocation's input, write its output or failure payload, see a marker. */
export interface PayloadStore {
  get(location: S3Location): Promise<Buffer>;
  put(location: S3Location, body: Buffer, contentType: string): Promise<void>;
  /** Whether an object is there (a cancel marker). */
  exists(location: S3Location): Promise<boolean>;
  close(): void;
}

/** The platform's S3 adapter, plus closing its client when the stub stops. */
export class S3PayloadStore implements PayloadStore {
  private readonly client: S3Client;
  private readonly objects: ObjectStore;

  constructor(aws: AwsConfig) {
    this.client = createS3Client(aws);
    this.objects = new ObjectStore(this.client);
  }

  async get(location: S3Location): Promise<Buffer> {
    return (await this.objects.get(location)).body;
  }

  put(location: S3Location, body: Buffer, contentType: string): Promise<void> {
    return this.objects.put(location, body, contentType);
  }

  exists(location: S3Location): Promise<boolean> {
    return this.objects.exists(location);
  }

  close(): void {
    this.client.destroy();
  }
}
