import { PassThrough } from 'node:stream';

export const EVENT_STREAM_MEDIA_TYPE = 'text/event-stream';

/** One server-sent event (https://html.spec.whatwg.org/multipage/server-sent-events.html). */
export interface ServerSentEvent {
  id: string;
  event: string;
  data: unknown;
}

/** Serialises one event: `data` is one line of JSON (JSON.stringify never emits a raw newline). */
export function formatEvent({ id, event, data }: ServerSentEvent): string {
  return `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * The body of an event-stream answer: Fastify pipes it to the client, so every hook (request id, the contract
 * check in tests) sees the answer like any other. `closed` fires once, when the stream ends for any reason: ended
 * by us, or destroyed because the client went away.
 */
export class SseStream {
  readonly body = new PassThrough();
  private ended = false;
  private readonly onClose: Array<() => void> = [];

  constructor() {
    this.body.on('close', () => this.finish());
    this.body.on('error', () => this.finish());
  }

  get isOpen(): boolean {
    return !this.ended && !this.body.destroyed;
  }

  send(event: ServerSentEvent): void {
    if (this.isOpen) {
      this.body.write(formatEvent(event));
    }
  }

  /** A comment line: ignored by clients, keeps proxies from timing the connection out. */
  comment(text: string): void {
    if (this.isOpen) {
      this.body.write(`: ${text}\n\n`);
    }
  }

  end(): void {
    if (this.isOpen) {
      this.body.end();
    }
    this.finish();
  }

  closed(callback: () => void): void {
    if (this.ended) {
      callback();
    } else {
      this.onClose.push(callback);
    }
  }

  private finish(): void {
    if (this.ended) {
      return;
    }
    this.ended = true;
    for (const callback of this.onClose.splice(0)) {
      callback();
    }
  }
}
