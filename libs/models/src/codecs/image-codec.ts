import type { JobParams, OutputFormat } from '#libs/contracts';
import type { CodecId } from '../model-definition.js';

/** What to send to the endpoint: the request body and the two MIME types SageMaker forwards to the container. */
export interface InferencePayload {
  body: Buffer;
  /** `ContentType` of InvokeEndpoint(Async). */
  contentType: string;
  /** `Accept` of InvokeEndpoint(Async). */
  accept: string;
}

export interface DecodedImage {
  data: Buffer;
  /** Detected from the bytes. */
  format: OutputFormat;
  /** When the model reports it (Stability artifacts do). */
  seed?: number;
}

/** Translates our job parameters into one endpoint's payload, and its response back into images. */
export interface ImageCodec {
  readonly id: CodecId;
  encodeRequest(params: JobParams): InferencePayload;
  /** Throws ModelOutputError (with a clear message) when the body is not this codec's response or reports an error. */
  decodeResponse(body: Buffer, contentType?: string): DecodedImage[];
}
