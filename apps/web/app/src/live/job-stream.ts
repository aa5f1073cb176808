import { createParser } from 'eventsource-parser';
import type { Job } from '../api/types';

/** `connecting` until the first answer; `live` while the stream is open; `polling` after it failed repeatedly. */
export type StreamState = 'connecting' | 'live' | 'polling';

export interface JobStreamOptions {
  /** fetch with the user's credentials (EventSource cannot send an Authorization header). */
  fetch: (href: string, init: RequestInit) => Promise<Response>;
  /** GET /v1/jobs/events: every change of the user's jobs. */
  href?: string;
  onJob: (job: Job) => void;
  /** A job deleted (from this tab or anywhere else). */
  onDeleted?: (jobId: string) => void;
  onState: (state: StreamState) => void;
  /** Waits before reconnecting, by consecutive failures (the last one repeats). */
  retryDelaysMs?: readonly number[];
  /** Consecutive failures after which the dashboard polls until the stream is back. */
  failuresBeforePolling?: number;
}

export const JOB_EVENTS_HREF = '/v1/jobs/events';
const RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

class StreamRefused extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs: number,
  ) {
    super(`the event stream answered ${status}`);
  }
}

/**
 * Reads the user's job events with fetch (so it can send the token) and eventsource-parser; reconnects after a
 * failure or the end of the stream (the api ends streams when it shuts down) with Last-Event-ID, so it resumes
 * after the last change it saw. Returns the function that closes it.
 */
export function openJobStream(options: JobStreamOptions): () => void {
  const { href = JOB_EVENTS_HREF, retryDelaysMs = RETRY_DELAYS_MS, failuresBeforePolling = 2 } = options;
  const abort = new AbortController();
  let lastEventId: string | undefined;
  let failures = 0;
  let state: StreamState | undefined;
  const setState = (next: StreamState) => {
    if (next !== state && !abort.signal.aborted) {
      state = next;
      options.onState(next);
    }
  };

  const readOnce = async (): Promise<void> => {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (lastEventId !== undefined) {
      headers['last-event-id'] = lastEventId;
    }
    const response = await options.fetch(href, { headers, signal: abort.signal, cache: 'no-store' });
    const type = response.headers.get('content-type') ?? '';
    if (!response.ok || !type.startsWith('text/event-stream') || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      throw new StreamRefused(response.status, (Number(response.headers.get('retry-after')) || 0) * 1000);
    }
    failures = 0;
    setState('live');
    const parser = createParser({
      onEvent(event) {
        if (event.id) {
          lastEventId = event.id;
        }
        try {
          if (event.event === 'job') {
            options.onJob(JSON.parse(event.data) as Job);
          } else if (event.event === 'deleted') {
            options.onDeleted?.((JSON.parse(event.data) as { jobId: string }).jobId);
          }
        } catch {
          // a malformed event is skipped; the next change of that job brings it whole
        }
      },
    });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        return;
      }
      parser.feed(decoder.decode(value, { stream: true }));
    }
  };

  const run = async (): Promise<void> => {
    setState('connecting');
    while (!abort.signal.aborted) {
      let waitMs = 0;
      try {
        await readOnce();
      } catch (error) {
        waitMs = error instanceof StreamRefused ? error.retryAfterMs : 0;
      }
      if (abort.signal.aborted) {
        return;
      }
      // an open stream that ended counts as one failure: a reconnect that fails right after means polling
      failures += 1;
      if (failures >= failuresBeforePolling) {
        setState('polling');
      }
      const delay = retryDelaysMs[Math.min(failures, retryDelaysMs.length) - 1] ?? 0;
      await sleep(Math.max(delay, waitMs), abort.signal);
    }
  };

  void run();
  return () => abort.abort();
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
