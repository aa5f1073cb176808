import http from 'node:http';

/** One parsed server-sent event. */
export interface ReceivedEvent {
  id?: string;
  event?: string;
  data: string;
}

export interface EventStreamConnection {
  status: number;
  headers: Headers;
  /** Every event received so far, in order. */
  events: ReceivedEvent[];
  /** Comment lines received so far (`: heartbeat`). */
  comments: string[];
  /** Resolves when the server ends the stream (or the connection breaks). */
  ended: Promise<void>;
  /** The body when the answer is not an event stream (a problem). */
  text(): Promise<string>;
  /** Waits until `predicate` holds for the events received, or fails after `timeoutMs`. */
  until(predicate: (events: ReceivedEvent[]) => boolean, timeoutMs?: number, what?: string): Promise<ReceivedEvent[]>;
  /** Disconnects, as a client closing the tab. */
  close(): void;
}

/**
 * A minimal EventSource over fetch (Node's fetch can send the Authorization header, which browsers' EventSource
 * cannot): parses `id:`, `event:`, `data:` and comment lines as the HTML standard describes.
 */
export async function openEventStream(
  url: string,
  token: string,
  { lastEventId }: { lastEventId?: string } = {},
): Promise<EventStreamConnection> {
  // node:http without an agent: one connection per stream, destroyed by close() (no pooled keep-alive socket)
  const request = http.request(url, {
    agent: false,
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'text/event-stream',
      ...(lastEventId !== undefined ? { 'last-event-id': lastEventId } : {}),
    },
  });
  const message = await new Promise<http.IncomingMessage>((resolve, reject) => {
    request.on('response', resolve);
    request.on('error', reject);
    request.end();
  });
  request.on('error', () => undefined);
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    if (value !== undefined) {
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
  }
  const response = { status: message.statusCode ?? 0, headers, body: message };
  const events: ReceivedEvent[] = [];
  const comments: string[] = [];
  const waiters = new Set<() => void>();
  const isStream = response.headers.get('content-type')?.startsWith('text/event-stream') === true;
  const notify = (): void => {
    for (const waiter of [...waiters]) {
      waiter();
    }
  };
  let finished = false;
  const ended = (async () => {
    if (!isStream) {
      return;
    }
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk as Buffer, { stream: true });
        let boundary: number;
        while ((boundary = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          const event: ReceivedEvent = { data: '' };
          let isEvent = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) {
              comments.push(line.slice(1).trim());
            } else {
              const colon = line.indexOf(':');
              const field = colon < 0 ? line : line.slice(0, colon);
              const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
              isEvent = true;
              if (field === 'id') {
                event.id = value;
              } else if (field === 'event') {
                event.event = value;
              } else if (field === 'data') {
                event.data = event.data ? `${event.data}\n${value}` : value;
              }
            }
          }
          if (isEvent) {
            events.push(event);
          }
          notify();
        }
      }
    } catch {
      // aborted by close(), or the connection broke
    } finally {
      finished = true;
      notify();
    }
  })();
  return {
    status: response.status,
    headers: response.headers,
    events,
    comments,
    ended,
    async text() {
      const chunks: Buffer[] = [];
      for await (const chunk of message) {
        chunks.push(chunk as Buffer);
      }
      return Buffer.concat(chunks).toString('utf8');
    },
    until(predicate, timeoutMs = 15_000, what = 'events') {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (predicate(events)) {
            cleanup();
            resolve(events);
          } else if (finished) {
            cleanup();
            reject(new Error(`the stream ended before ${what}; got ${JSON.stringify(events.map((e) => e.id))}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close: () => request.destroy(),
  };
}
