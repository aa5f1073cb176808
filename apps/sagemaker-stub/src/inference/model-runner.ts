import { type ModelReply, ModelRequestError, type ServerFormat } from '../formats/server-format.js';
import { renderImage } from '../render/render-image.js';
import { canceledMessage, type StopCheck } from './cancel-watch.js';
import { type Clock, sleep } from './clock.js';
import { type ProgressSink, reportSteps } from './progress-reporter.js';
import { inferenceMs, type TimingOptions } from './timing.js';

/** A prompt containing this makes the model fail with a 500 (error file + error notification). */
export const FAIL_TRIGGER = '[fail]';
/** A prompt containing this makes Stability's model flag its artifacts CONTENT_FILTERED (other formats ignore it). */
export const CONTENT_FILTER_TRIGGER = '[filtered]';

export interface ModelInvocation {
  format: ServerFormat;
  body: Buffer;
  contentType?: string;
  accept?: string;
  /** InvocationTimeoutSeconds (async) or the 60 s real-time limit, in ms. */
  timeoutMs: number;
  /** Asked before the model starts and between its steps: true when a cancel marker says to stop. */
  shouldStop?: StopCheck;
  /** Async invocations report "started" and their steps here, every `intervalMs`. */
  progress?: { sink: ProgressSink; intervalMs: number };
}

/** A model that stopped on its cancel marker answers this status, with canceledMessage() as its message. */
export const CANCELED_STATUS = 409;

export interface ModelOutcome {
  reply: ModelReply;
  /** Simulated GPU time of the call. */
  inferenceMs: number;
  /** The container's error message when reply.statusCode is not 200. */
  errorMessage?: string;
}

/** The model did not answer within the invocation timeout. */
export class InvocationTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the model did not answer within ${Math.round(timeoutMs / 1000)} s`);
    this.name = 'InvocationTimeoutError';
  }
}

/**
 * Plays the model container for one invocation: parses the payload like the real container, takes the simulated
 * inference time, renders real images and answers in the container's format.
 */
export async function runModel(
  invocation: ModelInvocation,
  timing: TimingOptions,
  clock: Clock,
  signal: AbortSignal,
): Promise<ModelOutcome> {
  const { format } = invocation;
  const started = clock.now();
  let parsed;
  try {
    parsed = format.parseRequest(invocation.body, invocation.contentType, invocation.accept);
  } catch (error) {
    if (error instanceof ModelRequestError) {
      return { reply: format.errorReply(error.statusCode, error.message), inferenceMs: 0, errorMessage: error.message };
    }
    throw error;
  }
  const { request } = parsed;
  const prompt = request.prompts.join(' ');
  const stopped = (step: number): ModelOutcome => {
    const message = canceledMessage(step, request.steps);
    return {
      reply: format.errorReply(CANCELED_STATUS, message),
      inferenceMs: clock.now() - started,
      errorMessage: message,
    };
  };
  if (await invocation.shouldStop?.()) {
    return stopped(0);
  }

  if (prompt.includes(FAIL_TRIGGER)) {
    await sleep(clock, Math.min(timing.baseInferenceMs, invocation.timeoutMs), signal);
    const message = `Simulated model failure: the prompt contains ${FAIL_TRIGGER}`;
    return { reply: format.errorReply(500, message), inferenceMs: clock.now() - started, errorMessage: message };
  }

  const images = request.prompts.length * request.numImages;
  const duration = inferenceMs(timing, { steps: request.steps, width: request.width, height: request.height, images });
  if (duration > invocation.timeoutMs) {
    await sleep(clock, invocation.timeoutMs, signal);
    throw new InvocationTimeoutError(invocation.timeoutMs);
  }

  // The simulated inference time starts now and includes the (real) rendering time; the first timer is set before
  // any real work so a manual clock in tests sees it at once. It passes in steps, with a cancel check between them.
  const inference = simulateSteps(
    clock,
    Math.max(0, duration - (clock.now() - started)),
    request.steps,
    signal,
    invocation.shouldStop,
  );
  inference.catch(() => undefined);
  invocation.progress?.sink.started(request.steps);
  const stopSteps = invocation.progress
    ? reportSteps(invocation.progress.sink, clock, {
        totalSteps: request.steps,
        durationMs: duration,
        intervalMs: invocation.progress.intervalMs,
      })
    : () => undefined;
  const rendered: Buffer[] = [];
  for (let index = 0; index < images; index += 1) {
    const spec = {
      prompt: request.prompts[Math.floor(index / request.numImages)] ?? prompt,
      seed: request.seed + index,
      width: request.width,
      height: request.height,
      ...(images > 1 ? { note: `image ${index + 1}/${images}` } : {}),
    };
    rendered.push(await renderImage(spec, parsed.imageFormat));
  }
  let stoppedAt: number | undefined;
  try {
    stoppedAt = await inference;
  } finally {
    stopSteps();
  }
  if (stoppedAt !== undefined) {
    return stopped(stoppedAt);
  }
  return {
    reply: format.buildResponse(parsed, rendered, { contentFiltered: prompt.includes(CONTENT_FILTER_TRIGGER) }),
    inferenceMs: duration,
  };
}

/**
 * Waits `totalMs` split into `steps` equal steps; after each step but the last, asks `shouldStop`. Resolves with the
 * step it stopped after, or undefined when it ran them all.
 */
export async function simulateSteps(
  clock: Clock,
  totalMs: number,
  steps: number,
  signal: AbortSignal,
  shouldStop?: StopCheck,
): Promise<number | undefined> {
  const count = Math.max(1, Math.floor(steps));
  const started = clock.now();
  for (let step = 1; step <= count; step += 1) {
    const due = started + Math.round((totalMs * step) / count);
    await sleep(clock, Math.max(0, due - clock.now()), signal);
    if (step < count && (await shouldStop?.())) {
      return step;
    }
  }
  return undefined;
}
