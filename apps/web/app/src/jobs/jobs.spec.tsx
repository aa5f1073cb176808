import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { job } from '../test/fixtures';
import { fakeApi, json, renderApp } from '../test/render';
import { curlFor } from './curl';
import { JobProgress, progressText } from './JobProgress';
import { timingBars } from './TimingsChart';

beforeEach(() => sessionStorage.clear());

describe('progress', () => {
  it('says "starting a GPU" during a cold start, the queue position, the steps, and the ETA when the api gives them', () => {
    const running = (progress: object, status = 'QUEUED') => progressText(job({ status, progress } as never));
    expect(running({ phase: 'waiting_for_capacity', etaSeconds: 300 }).label).toBe('Starting a GPU · about 5 min left');
    expect(running({ phase: 'queued', position: 3, etaSeconds: 40 }).label).toBe(
      'Queued · position 3 · about 40 s left',
    );
    expect(running({ phase: 'queued' }).label).toBe('Queued');
    expect(running({ phase: 'running', step: 12, totalSteps: 30 }, 'RUNNING')).toEqual({
      label: 'Rendering · step 12 of 30',
      fraction: 0.4,
    });
    expect(running({ phase: 'running', totalSteps: 30 }, 'RUNNING')).toEqual({
      label: 'Rendering',
      fraction: undefined,
    });
  });

  it('renders a determinate bar only when steps are known', () => {
    render(<JobProgress job={job({ status: 'RUNNING', progress: { phase: 'running', step: 15, totalSteps: 30 } })} />);
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('50');
  });
});

describe('timings and curl', () => {
  it('splits the total into queue, (cold start,) inference and the platform’s share', () => {
    expect(timingBars({ submittedAt: 'x', queueMs: 100, inferenceMs: 9000, totalMs: 9500 })).toEqual([
      { label: 'Queue', ms: 100 },
      { label: 'Inference', ms: 9000 },
      { label: 'Platform', ms: 400 },
    ]);
    expect(timingBars({ submittedAt: 'x', queueMs: 100, coldStartMs: 6000, inferenceMs: 9000, totalMs: 9500 })).toEqual(
      [
        { label: 'Queue', ms: 100 },
        { label: 'Cold start', ms: 6000 },
        { label: 'Inference', ms: 3000 },
        { label: 'Platform', ms: 400 },
      ],
    );
    expect(timingBars({ submittedAt: 'x' })).toEqual([]);
  });

  it('reproduces the job with every resolved parameter, quoted for the shell', () => {
    const curl = curlFor({ ...job().params, prompt: "it's a cat" }, 'http://127.0.0.1:5173');
    expect(curl).toContain(`curl -s -X POST 'http://127.0.0.1:5173/v1/jobs'`);
    expect(curl).toContain(`"prompt":"it'\\''s a cat"`);
    expect(curl).toContain('"seed":42');
    expect(curl).toContain('"steps":30');
  });
});

describe('the jobs list', () => {
  it('shows cancel and delete only when the job’s links offer them, and follows them', async () => {
    const offered = job({
      jobId: '01JDA',
      status: 'QUEUED',
      imageUrl: null,
      images: [],
      progress: { phase: 'waiting_for_capacity' },
      links: { self: '/v1/jobs/01JDA', cancel: '/v1/jobs/01JDA/cancel' },
    });
    const plain = job({
      jobId: '01JDB',
      params: { ...job().params, prompt: 'plain' },
      links: { self: '/v1/jobs/01JDB', delete: '/v1/jobs/01JDB' },
    });
    let items = [offered, plain];
    const { requests } = fakeApi({
      'GET /v1/models': () => json({ items: [] }),
      'GET /v1/jobs': () => json({ items, nextCursor: null }),
      'POST /v1/jobs/01JDA/cancel': () => json({ ...offered, status: 'CANCELED' }),
      'DELETE /v1/jobs/01JDB': () => {
        items = [offered];
        return new Response(null, { status: 204 });
      },
    });
    window.confirm = () => true;
    renderApp();
    await screen.findByText('Starting a GPU');
    expect(screen.getAllByRole('button', { name: 'Cancel' })).toHaveLength(1);
    expect(screen.getAllByRole('button', { name: 'Delete' })).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(screen.queryByText('plain')).toBeNull());
    expect(
      requests.filter((request) => request.method !== 'GET').map((r) => `${r.method} ${r.path} ${r.authorization}`),
    ).toEqual([
      expect.stringMatching(/^POST \/v1\/jobs\/01JDA\/cancel Bearer /),
      expect.stringMatching(/^DELETE \/v1\/jobs\/01JDB Bearer /),
    ]);
  });

  it('pages through older jobs with nextCursor, and says when there are none', async () => {
    const { requests } = fakeApi({
      'GET /v1/models': () => json({ items: [] }),
      'GET /v1/jobs': (request) =>
        new URL(request.url).searchParams.get('cursor') === 'c2'
          ? json({ items: [job({ jobId: '01JDOLD', params: { ...job().params, prompt: 'older' } })], nextCursor: null })
          : json({ items: [job()], nextCursor: 'c2' }),
    });
    renderApp();
    fireEvent.click(await screen.findByRole('button', { name: 'Older jobs' }));
    expect(await screen.findByText('older')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Older jobs' })).toBeNull();
    expect(requests.filter((r) => r.path === '/v1/jobs').length).toBeGreaterThanOrEqual(2);

    fakeApi({
      'GET /v1/models': () => json({ items: [] }),
      'GET /v1/jobs': () => json({ items: [], nextCursor: null }),
    });
    renderApp();
    expect(await screen.findAllByText(/No jobs yet/)).not.toHaveLength(0);
  });
});
