import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { job } from '../test/fixtures';
import { fakeApi, json, renderApp } from '../test/render';
import { curlFor } from './curl';
import { JobProgress, progressText } from './JobProgress';
import { timingBars } from './TimingsChart';

beforeEach(() => sessionStorage.clear());

describe('progress', () => {
  const NOW = Date.parse('2026-11-26T12:00:00.000Z');
  const inSeconds = (seconds: number) => new Date(NOW + seconds * 1000).toISOString();
  const text = (progress: object, status = 'QUEUED') => progressText(job({ status, progress } as never), NOW);

  it('says "starting a GPU" during a cold start, the jobs ahead in the queue, the steps, and the time left', () => {
    expect(text({ phase: 'waiting_for_capacity', position: 0, estimatedCompletionAt: inSeconds(300) }).label).toBe(
      'Starting a GPU · next in line · about 5 min left',
    );
    expect(text({ phase: 'queued', position: 3, estimatedCompletionAt: inSeconds(40) }).label).toBe(
      'Queued · 3 jobs ahead · about 40 s left',
    );
    expect(text({ phase: 'queued', position: 1 }).label).toBe('Queued · 1 job ahead');
    expect(text({ phase: 'queued' }).label).toBe('Queued');
    expect(
      text({ phase: 'running', step: 12, totalSteps: 30, estimatedCompletionAt: inSeconds(6) }, 'RUNNING'),
    ).toEqual({ label: 'Rendering · step 12 of 30 · about 6 s left', fraction: 0.4 });
    expect(text({ phase: 'running', estimatedCompletionAt: inSeconds(-2) }, 'RUNNING').label).toBe(
      'Rendering · almost done',
    );
  });

  it('fills the bar by time against the estimate when the model reports no steps', () => {
    const running = { phase: 'running', startedAt: inSeconds(-3), estimatedCompletionAt: inSeconds(1) };
    expect(text(running, 'RUNNING').fraction).toBe(0.75);
    expect(text({ phase: 'running' }, 'RUNNING').fraction).toBeUndefined();
  });

  it('renders a determinate bar only when steps or times are known', () => {
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
    // the container's own timings: loading the model is the cold start; the backlog and its queue are queueing
    const model = { loadMs: 6000, queueMs: 200, inferenceMs: 2500 };
    expect(timingBars({ submittedAt: 'x', queueMs: 100, inferenceMs: 9000, totalMs: 9500, model })).toEqual([
      { label: 'Queue', ms: 100 + 300 + 200 },
      { label: 'Cold start', ms: 6000 },
      { label: 'Inference', ms: 2500 },
      { label: 'Platform', ms: 400 },
    ]);
    expect(timingBars({ submittedAt: 'x' })).toEqual([]);
    // canceled while running: queue and rendering from the timestamps, not the whole total as "platform"
    const canceled = {
      submittedAt: '2026-11-26T12:00:00.000Z',
      startedAt: '2026-11-26T12:00:03.500Z',
      finalizedAt: '2026-11-26T12:00:06.000Z',
      totalMs: 6000,
    };
    expect(timingBars(canceled)).toEqual([
      { label: 'Queue', ms: 3500 },
      { label: 'Inference', ms: 2500 },
    ]);
    expect(timingBars({ submittedAt: 'x', totalMs: 6000 })).toEqual([]);
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
  it('offers cancel only when the job has links.cancel (POST), and deletes with DELETE on links.self', async () => {
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
      links: { self: '/v1/jobs/01JDB' },
    });
    let items = [offered, plain];
    const { requests } = fakeApi({
      'GET /v1/models': () => json({ items: [] }),
      'GET /v1/jobs': () => json({ items, nextCursor: null }),
      'POST /v1/jobs/01JDA/cancel': () =>
        json({
          ...offered,
          status: 'CANCELED',
          updatedAt: '2026-11-26T12:00:20.000Z',
          links: { self: '/v1/jobs/01JDA' },
        }),
      'DELETE /v1/jobs/01JDB': () => {
        items = [offered];
        return new Response(null, { status: 204 });
      },
    });
    window.confirm = () => true;
    renderApp();
    await screen.findByText('Starting a GPU');
    expect(screen.getAllByRole('button', { name: 'Cancel' })).toHaveLength(1);
    expect(screen.getAllByRole('button', { name: 'Delete' })).toHaveLength(2);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    // the cancel's answer (the job, now CANCELED) replaces it in the list; no cancel any more
    await waitFor(() =>
      expect(document.querySelector('[data-job-id="01JDA"]')?.getAttribute('data-status')).toBe('CANCELED'),
    );
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
    fireEvent.click(screen.getAllByRole('button', { name: 'Delete' })[1]!);
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

describe('the job detail', () => {
  it('says which images the model filtered or failed, and why', async () => {
    const partial = job({
      jobId: '01JDP',
      params: { ...job().params, numImages: 3 },
      images: [{ url: 'http://images.test/p0.png', index: 0, width: 1024, height: 1024, format: 'png', bytes: 1000 }],
      imageOutcomes: { ok: 1, filtered: 1, failed: 1, outcomes: ['ok', 'filtered', 'failed'] },
      links: { self: '/v1/jobs/01JDP' },
    });
    fakeApi({ 'GET /v1/jobs/01JDP': () => json(partial) });
    renderApp({ path: '/jobs/01JDP' });
    expect(await screen.findByRole('heading', { name: '1 of 3 images delivered' })).toBeTruthy();
    const reasons = screen.getAllByRole('listitem').map((item) => item.textContent);
    expect(reasons).toContain('Image 2: filtered, blocked by the model’s content filter');
    expect(reasons).toContain('Image 3: failed, the model failed to make it');
    expect(screen.getByRole('img', { name: 'a lighthouse (image 1)' })).toBeTruthy();
    // the image is on S3's origin, where `download` does nothing: it opens in a new tab, the dashboard stays
    const download = screen.getByRole('link', { name: /^Download PNG/ });
    expect(download.getAttribute('target')).toBe('_blank');
    expect(download.getAttribute('rel')).toContain('noopener');
    // the curl command says where its $TOKEN comes from
    expect(screen.getByText(/an access token or an API key/).textContent).toBe(
      '$TOKEN: an access token or an API key (POST /v1/keys).',
    );
  });

  it('shows a filtered job’s error and what canceling a job saved', async () => {
    const filtered = job({
      jobId: '01JDF',
      status: 'FAILED',
      imageUrl: null,
      images: [],
      imageOutcomes: { ok: 0, filtered: 1, failed: 0, outcomes: ['filtered'] },
      error: { code: 'CONTENT_FILTERED', message: 'The model’s content filter blocked every image' },
      links: { self: '/v1/jobs/01JDF' },
    });
    const canceled = job({
      jobId: '01JDC',
      status: 'CANCELED',
      imageUrl: null,
      images: [],
      imageOutcomes: null,
      error: { code: 'CANCELED', message: 'Canceled by its owner' },
      metadata: {
        ...job().metadata,
        cancellation: {
          canceledAt: '2026-11-26T12:00:05.000Z',
          from: 'RUNNING',
          estimatedGpuSeconds: 9.4,
          gpuSecondsSaved: 6.1,
          usdSaved: 0.0024,
        },
      },
      links: { self: '/v1/jobs/01JDC' },
    });
    fakeApi({ 'GET /v1/jobs/01JDF': () => json(filtered), 'GET /v1/jobs/01JDC': () => json(canceled) });
    renderApp({ path: '/jobs/01JDF' });
    expect((await screen.findByRole('alert')).textContent).toBe(
      'CONTENT_FILTERED: The model’s content filter blocked every image',
    );
    expect(screen.getByText('Image 1:', { exact: false }).textContent).toBe(
      'Image 1: filtered, blocked by the model’s content filter',
    );
    cleanup();
    renderApp({ path: '/jobs/01JDC' });
    expect((await screen.findByTestId('cancellation')).textContent).toBe(
      'Canceled while running: saved 6.1 GPU s ($0.0024) of the 9.4 estimated.',
    );
  });
});
