import type { CodecId } from '#libs/models';
import type { RenderFormat } from '../render/render-image.js';

/** What a text-to-image container was asked for, whatever its wire format. */
export interface GenerationRequest {
  /** One prompt, or several (JumpStart SD accepts a list); each gets `numImages` images. */
  prompts: string[];
  negativePrompt?: string;
  width: number;
  height: number;
  steps: number;
  guidanceScale: number;
  seed: number;
  numImages: number;
}

export interface ParsedInvocation {
  request: GenerationRequest;
  /** The encoding of the images in the response, chosen from Accept the way the real container does. */
  imageFormat: RenderFormat;
  /** The Content-Type the container labels its answer with. */
  responseContentType: string;
}

/** An HTTP answer of the model container (before SageMaker wraps it). */
export interface ModelReply {
  statusCode: number;
  body: Buffer;
  contentType: string;
}

export interface ResponseOptions {
  /**
   * Simulate the model's safety filter on every image (only formats that can say so: Stability's finishReason,
   * imggen's outcome); `[filtered:N]` in the prompt blocks single images (content-filter.ts).
   */
  contentFiltered: boolean;
}

/** The container refused the request (bad payload); the statusCode is what the container answers. */
export class ModelRequestError extends Error {
  constructor(
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = 'ModelRequestError';
  }
}

/**
 * The container side of one codec: parses the request payload as the real model server would, and builds its
 * response. Written from reference/aws.md section 6, independently of libs/models' client codecs, so each side
 * checks the other.
 */
export interface ServerFormat {
  readonly codec: CodecId;
  /** Throws ModelRequestError for a payload the real container would refuse. */
  parseRequest(body: Buffer, contentType: string | undefined, accept: string | undefined): ParsedInvocation;
  buildResponse(parsed: ParsedInvocation, images: Buffer[], options: ResponseOptions): ModelReply;
  /** The container's error answer (its own error JSON). */
  errorReply(statusCode: number, message: string): ModelReply;
}
