import type { Job } from '../api/types';

/**
 * A text/event-stream answer the test writes to: `job(id, view)` and `deleted(id, jobId)` send one event, `end()`
 * closes the stream.
 */
export function eventStream() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  const encoder = new TextEncoder();
  const write = (text: string) => controller.enqueue(encoder.encode(text));
  return {
    response: new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
    job(id: string, view: Job) {
      // split in two chunks: the parser must join an event cut anywhere
      const text = `event: job\nid: ${id}\ndata: ${JSON.stringify(view)}\n\n`;
      write(text.slice(0, 20));
      write(text.slice(20));
    },
    deleted(id: string, jobId: string) {
      write(`event: deleted\nid: ${id}\ndata: ${JSON.stringify({ jobId, deletedAt: '2026-01-01T00:00:00.000Z' })}\n\n`);
    },
    heartbeat: () => write(': heartbeat\n\n'),
    end: () => controller.close(),
  };
}
