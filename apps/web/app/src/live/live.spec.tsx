import { screen, waitFor } from '@testing-library/react';
import { job } from '../test/fixtures';
import { fakeApi, json, renderApp } from '../test/render';
import { eventStream } from '../test/sse';

beforeEach(() => sessionStorage.clear());

const queued = job({
  jobId: '01JDL',
  status: 'QUEUED',
  imageUrl: null,
  images: [],
  imageOutcomes: null,
  metadata: { ...job().metadata, cost: null },
  progress: { phase: 'waiting_for_capacity', position: 0 },
  updatedAt: '2026-11-26T12:00:01.000Z',
  links: { self: '/v1/jobs/01JDL', cancel: '/v1/jobs/01JDL/cancel', events: '/v1/jobs/01JDL/events' },
});
const status = () => document.querySelector('[data-job-id="01JDL"]')?.getAttribute('data-status');

describe('live updates in the dashboard', () => {
  it('follows the job through the user’s event stream, with the token, and polls nothing meanwhile', async () => {
    const stream = eventStream();
    const { requests } = fakeApi({
      'GET /v1/models': () => json({ items: [] }),
      'GET /v1/jobs': () => json({ items: [queued], nextCursor: null }),
      'GET /v1/jobs/events': () => stream.response,
    });
    renderApp();
    await screen.findByText('Starting a GPU · next in line');
    await screen.findByText('Live');
    stream.job('a|01JDL|2', {
      ...queued,
      status: 'RUNNING',
      updatedAt: '2026-11-26T12:00:05.000Z',
      progress: { phase: 'running', step: 12, totalSteps: 30 },
    });
    await screen.findByText('Rendering · step 12 of 30');
    // longer than the 2 s poll while the job runs: the list was fetched once, the stream did the rest
    await new Promise((resolve) => setTimeout(resolve, 2_300));
    expect(requests.filter((request) => request.path === '/v1/jobs')).toHaveLength(1);
    stream.job('b|01JDL|3', { ...job({ jobId: '01JDL' }), updatedAt: '2026-11-26T12:00:09.000Z' });
    await waitFor(() => expect(status()).toBe('SUCCEEDED'));
    expect(document.querySelector('[data-job-id="01JDL"] img')?.getAttribute('src')).toBe('http://images.test/1.png');
    const streamRequest = requests.find((request) => request.path === '/v1/jobs/events');
    expect(streamRequest?.authorization).toMatch(/^Bearer h\./);
    // it watches 2.3 s of real time on purpose; a loaded CI machine needs more than jest's default 5 s in all
  }, 15_000);

  it('takes a job deleted elsewhere (another tab, another client) off the list', async () => {
    const stream = eventStream();
    fakeApi({
      'GET /v1/models': () => json({ items: [] }),
      'GET /v1/jobs': () => json({ items: [job({ jobId: '01JDL' }), job({ jobId: '01JDK' })], nextCursor: null }),
      'GET /v1/jobs/events': () => stream.response,
    });
    renderApp();
    await screen.findByText('Live');
    await waitFor(() => expect(status()).toBe('SUCCEEDED'));
    stream.deleted('c|01JDL|4', '01JDL');
    await waitFor(() => expect(status()).toBeUndefined());
    expect(document.querySelector('[data-job-id="01JDK"]')).not.toBeNull();
  });

  it('polls every 2 s while the stream cannot be had, and still sees the job finish', async () => {
    let polls = 0;
    fakeApi({
      'GET /v1/models': () => json({ items: [] }),
      'GET /v1/jobs': () => json({ items: [++polls >= 2 ? job({ jobId: '01JDL' }) : queued], nextCursor: null }),
      'GET /v1/jobs/events': () =>
        json({ type: '/problems/quota-exceeded', title: 'Too many', status: 429, detail: 'open streams' }, 429),
    });
    renderApp();
    await screen.findByText('Starting a GPU · next in line');
    await waitFor(() => expect(status()).toBe('SUCCEEDED'), { timeout: 4_000 });
    await screen.findByText('Updating every 2 s', {}, { timeout: 3_000 });
  }, 15_000);
});
