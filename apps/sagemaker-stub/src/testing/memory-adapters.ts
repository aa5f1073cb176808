import type { NotificationPublisher } from '../aws/notification-publisher.js';
import type { PayloadStore } from '../aws/payload-store.js';
import { type S3Location, toS3Uri } from '#libs/aws';

/** In-memory S3 for unit tests: objects by s3:// URI. */
export class MemoryPayloadStore implements PayloadStore {
  readonly objects = new Map<string, { body: Buffer; contentType: string }>();

  get(location: S3Location): Promise<Buffer> {
    const object = this.objects.get(toS3Uri(location));
    if (!object) {
      const error = new Error('The specified key does not exist.');
      error.name = 'NoSuchKey';
      return Promise.reject(error);
    }
    return Promise.resolve(object.body);
  }

  put(location: S3Location, body: Buffer, contentType: string): Promise<void> {
    this.objects.set(toS3Uri(location), { body, contentType });
    return Promise.resolve();
  }

  exists(location: S3Location): Promise<boolean> {
    return Promise.resolve(this.objects.has(toS3Uri(location)));
  }

  close(): void {}
}

/** In-memory SNS for unit tests: every published message, parsed. */
export class MemoryPublisher implements NotificationPublisher {
  readonly published: Array<{ topicArn: string; message: Record<string, unknown> }> = [];

  publish(topicArn: string, message: string): Promise<void> {
    this.published.push({ topicArn, message: JSON.parse(message) as Record<string, unknown> });
    return Promise.resolve();
  }

  close(): void {}
}
