import type { CodecId, InferenceMode, ModelCatalog } from '#libs/models';
import { serverFormatFor } from '../formats/format-registry.js';
import type { ServerFormat } from '../formats/server-format.js';
import type { Clock } from './clock.js';
import { type CapacityOptions, EndpointQueue } from './endpoint-queue.js';

/** One simulated SageMaker endpoint: its container format and its own instances and queue. */
export interface StubEndpoint {
  name: string;
  mode: InferenceMode;
  codec: CodecId;
  format: ServerFormat;
  queue: EndpointQueue;
  createdAt: number;
}

/** The endpoints of the model catalog (models sharing an endpoint share its instances). */
export class EndpointRegistry {
  private readonly endpoints = new Map<string, StubEndpoint>();

  constructor(catalog: ModelCatalog, capacity: CapacityOptions, clock: Clock) {
    for (const model of catalog.list()) {
      if (!this.endpoints.has(model.endpointName)) {
        this.endpoints.set(model.endpointName, {
          name: model.endpointName,
          mode: model.mode,
          codec: model.codec,
          format: serverFormatFor(model.codec),
          queue: new EndpointQueue(capacity, clock),
          createdAt: clock.now(),
        });
      }
    }
  }

  get(name: string): StubEndpoint | undefined {
    return this.endpoints.get(name);
  }

  list(): StubEndpoint[] {
    return [...this.endpoints.values()];
  }

  close(): void {
    for (const endpoint of this.endpoints.values()) {
      endpoint.queue.close();
    }
  }
}
