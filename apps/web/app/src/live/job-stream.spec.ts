import { waitFor } from '@testing-library/react';
import type { Job } from '../api/types';
import { job } from '../test/fixtures';
import { eventStream } from '../test/sse';
import { openJobStream, type StreamState } from './job-stream';

type Call = { href: string; headers: Record<string, string> };

/** openJobStream with a scripted fetch: each call takes the next answer (a Response, or an Error to throw). */
function harness(answers: (() => Response | Error)[], failuresBeforePolling = 2) {
  const calls: Call[] = [];
  const jobs: Job[] = [];
  const deleted: string[] = [];
  const states: StreamState[] = [];
  const close = openJobStream({
    fetch: async (href, init) => {
      calls.push({ href, headers: init.headers as Record<string, string> });
      const answer = (answers.shift() ?? (() => new Error('no more answers')))();
      if (answer instanceof Error) {
        throw answer;
      }
      return answer;
    },
    onJob: (view) => jobs.push(view),
    onDeleted: (jobId) => deleted.push(jobId),
    onState: (state) => states.push(state),
    retryDelaysMs: [5],
    failuresBeforePolling,
  });
  return { calls, jobs, deleted, states, close };
}

const problem = (status: number) =>
  new Response(JSON.stringify({ status, title: 'x' }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });

describe('the job events stream', () => {
  it('reads GET /v1/jobs/events as a stream of job views and says it is live', async () => {
    const stream = eventStream();
    const { calls, jobs, states, close } = harness([() => stream.response]);
    await waitFor(() => expect(states).toEqual(['connecting', 'live']));
    stream.heartbeat();
    stream.job('t1|01JDA|1', job({ jobId: '01JDA', status: 'QUEUED' }));
    stream.job('t2|01JDA|2', job({ jobId: '01JDA', status: 'RUNNING' }));
    await waitFor(() => expect(jobs.map((view) => view.status)).toEqual(['QUEUED', 'RUNNING']));
    expect(calls[0]).toEqual({ href: '/v1/jobs/events', headers: { accept: 'text/event-stream' } });
    close();
  });

  it('tells of a deleted job, and resumes after the deletion', async () => {
    const first = eventStream();
    const second = eventStream();
    const { calls, jobs, deleted, close } = harness([() => first.response, () => second.response]);
    await waitFor(() => expect(calls).toHaveLength(1));
    first.job('t1|01JDA|3', job({ jobId: '01JDA', status: 'SUCCEEDED' }));
    first.deleted('t2|01JDA|4', '01JDA');
    await waitFor(() => expect(deleted).toEqual(['01JDA']));
    expect(jobs.map((view) => view.jobId)).toEqual(['01JDA']);
    first.end();
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1]!.headers['last-event-id']).toBe('t2|01JDA|4');
    close();
  });

  it('reconnects after the stream ends, with Last-Event-ID = the last event it saw', async () => {
    const first = eventStream();
    const second = eventStream();
    const { calls, jobs, close } = harness([() => first.response, () => second.response]);
    await waitFor(() => expect(calls).toHaveLength(1));
    first.job('t1|01JDA|1', job({ jobId: '01JDA', status: 'QUEUED' }));
    first.job('t2|01JDA|2', job({ jobId: '01JDA', status: 'RUNNING' }));
    await waitFor(() => expect(jobs).toHaveLength(2));
    first.end();
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1]!.headers['last-event-id']).toBe('t2|01JDA|2');
    second.job('t3|01JDA|3', job({ jobId: '01JDA', status: 'SUCCEEDED' }));
    await waitFor(() => expect(jobs.at(-1)?.status).toBe('SUCCEEDED'));
    close();
  });

  it('falls back to polling after consecutive failures, and goes live again when the stream is back', async () => {
    const back = eventStream();
    const { calls, states, close } = harness([
      () => problem(503),
      () => new TypeError('Failed to fetch'),
      () => new Response('<html>', { status: 200, headers: { 'content-type': 'text/html' } }),
      () => back.response,
    ]);
    await waitFor(() => expect(calls).toHaveLength(4));
    await waitFor(() => expect(states).toEqual(['connecting', 'polling', 'live']));
    close();
  });

  it('one failure alone does not switch to polling', async () => {
    const back = eventStream();
    const { states, close } = harness([() => problem(429), () => back.response]);
    await waitFor(() => expect(states).toEqual(['connecting', 'live']));
    close();
  });

  it('stops for good when closed', async () => {
    const stream = eventStream();
    const { calls, states, close } = harness([() => stream.response, () => eventStream().response]);
    await waitFor(() => expect(states).toEqual(['connecting', 'live']));
    close();
    stream.end();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(calls).toHaveLength(1);
  });
});
