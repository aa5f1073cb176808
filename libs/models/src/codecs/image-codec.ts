import type { ImageOutcome, JobParams, ModelTimings, OutputFormat } from '#libs/contracts';
import type { CodecId } from '../model-definition.js';

/** What to send to the endpoint: the request body and the two MIME types SageMaker forwards to the container. */
export interface InferencePayload {
  body: Buffer;
  /** `ContentType` of InvokeEndpoint(Async). */
  contentType: string;
  /** `Accept` of InvokeEndpoint(Async). */
  accept: string;
}

/** An image the model made. */
export interface UsableImage {
  outcome: 'ok';
  data: Buffer;
  /** Detected from the bytes. */
  format: OutputFormat;
  /** When the model reports it (Stability artifacts and the imggen container do). */
  seed?: number;
}

/** An image of the batch the model did not deliver: its filter blocked it, or it failed to make it. */
export interface MissingImage {
  outcome: Exclude<ImageOutcome, 'ok'>;
  /** What the model said about it. */
  reason: string;
  seed?: number;
}

export type DecodedImage = UsableImage | MissingImage;

/** A model's answer: one entry per image of the batch, in order, and the timings the container reports itself. */
export interface DecodedResponse {
  images: DecodedImage[];
  modelTimings?: ModelTimings;
}

/** What a request carries besides the job's parameters. */
export interface RequestContext {
  /** The SageMaker InferenceId (the job id); a codec whose format has room for it sends it along. */
  inferenceId?: string;
}

/** Translates our job parameters into one endpoint's payload, and its response back into images. */
export interface ImageCodec {
  readonly id: CodecId;
  encodeRequest(params: JobParams, context?: RequestContext): InferencePayload;
  /**
   * Throws ModelOutputError (with a clear message) when the body is not this codec's response or reports an error.
   * Images the model filtered or failed come back as MissingImage entries (see usableImages for the job's rule).
   */
  decodeResponse(body: Buffer, contentType?: string): DecodedResponse;
}
