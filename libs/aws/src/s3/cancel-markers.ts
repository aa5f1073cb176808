import { cancelMarkerKey } from '#libs/contracts';
import type { ObjectStore } from './object-store.js';
import type { S3Location } from './s3-uri.js';

/**
 * The cancel markers of the requests bucket (libs/contracts cancellation.ts): SageMaker async inference has no cancel
 * call, so the platform leaves `cancel/<inferenceId>` for the model side to see before and while it runs.
 */
export class CancelMarkers {
  constructor(
    private readonly objects: Pick<ObjectStore, 'putJson' | 'exists'>,
    private readonly bucket: string,
  ) {}

  locationOf(inferenceId: string): S3Location {
    return { bucket: this.bucket, key: cancelMarkerKey(inferenceId) };
  }

  /** Idempotent: placing it again overwrites the same small object. */
  async place(inferenceId: string, requestedAt: string): Promise<void> {
    await this.objects.putJson(this.locationOf(inferenceId), { inferenceId, requestedAt });
  }

  isPlaced(inferenceId: string): Promise<boolean> {
    return this.objects.exists(this.locationOf(inferenceId));
  }
}
