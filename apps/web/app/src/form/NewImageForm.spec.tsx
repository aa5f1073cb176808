import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { ESTIMATE, job, SD21, SDXL, STABILITY } from '../test/fixtures';
import { fakeApi, json, renderApp } from '../test/render';

const problem = (status: number, extra: object = {}) => ({
  type: '/problems/x',
  title: 'Problem',
  status,
  detail: 'detail',
  instance: '/v1/jobs',
  ...extra,
});

function api(
  createJob: () => Response = () =>
    json(
      {
        jobId: '01JD1',
        status: 'QUEUED',
        createdAt: '2026-11-26T12:00:00.000Z',
        submission: 'confirmed',
        links: { self: '/v1/jobs/01JD1' },
      },
      202,
    ),
) {
  return fakeApi({
    'GET /v1/models': () => json({ items: [SDXL, SD21, STABILITY] }),
    'GET /v1/jobs': () => json({ items: [], nextCursor: null }),
    'POST /v1/jobs/estimate': () => json(ESTIMATE),
    'POST /v1/jobs': createJob,
  });
}

const prompt = () => screen.getByLabelText('Prompt');

beforeEach(() => sessionStorage.clear());

describe('the new-image form', () => {
  it('is bounded by the model: its sizes, its image count, its steps', async () => {
    api();
    renderApp();
    await screen.findByRole('heading', { name: 'New image' });
    const size = screen.getByLabelText<HTMLSelectElement>('Size');
    expect([...size.options].map((option) => option.value)).toContain('1024x1024');
    expect(screen.getByLabelText<HTMLSelectElement>('Images').options).toHaveLength(1);

    fireEvent.change(screen.getByLabelText('Model'), { target: { value: STABILITY.id } });
    expect([...screen.getByLabelText<HTMLSelectElement>('Size').options].map((option) => option.value)).toEqual([
      '1024x1024',
      '1152x896',
      '896x1152',
    ]);
    fireEvent.change(screen.getByLabelText('Model'), { target: { value: SD21.id } });
    expect(screen.getByLabelText<HTMLSelectElement>('Images').options).toHaveLength(4);

    fireEvent.change(screen.getByLabelText('Detail by'), { target: { value: 'steps' } });
    fireEvent.change(screen.getByLabelText('Steps'), { target: { value: '101' } });
    expect(await screen.findByText('Steps must be an integer from 1 to 100')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Model'), { target: { value: STABILITY.id } });
    fireEvent.change(screen.getByLabelText('Steps'), { target: { value: '5' } });
    expect(await screen.findByText('Steps must be between 10 and 50 for model stability-sdxl')).toBeTruthy();
  });

  it('shows the estimate once typing pauses, then submits on Ctrl+Enter with an Idempotency-Key', async () => {
    const { requests } = api();
    renderApp();
    await screen.findByRole('heading', { name: 'New image' });
    fireEvent.change(prompt(), { target: { value: 'a lighthouse' } });
    const estimate = await screen.findByTestId('estimate');
    expect(estimate.textContent).toMatch(
      /About \$0\.0037 \(9\.4 GPU s on ml\.g5\.xlarge\) · ready in 9 s when warm, 6 min 9 s from a cold start/,
    );
    expect(requests.filter((request) => request.path === '/v1/jobs/estimate').at(-1)?.body).toEqual({
      prompt: 'a lighthouse',
      modelId: SDXL.id,
      width: 1024,
      height: 1024,
      quality: 'standard',
      numImages: 1,
    });

    fireEvent.keyDown(prompt(), { key: 'Enter', ctrlKey: true });
    await waitFor(() =>
      expect(requests.some((request) => request.method === 'POST' && request.path === '/v1/jobs')).toBe(true),
    );
    const submitted = requests.find((request) => request.method === 'POST' && request.path === '/v1/jobs')!;
    expect(submitted.body).toMatchObject({ prompt: 'a lighthouse', modelId: SDXL.id });
    expect(submitted.authorization).toMatch(/^Bearer h\./);
    // the job's row may be below the fold: the form says where it went
    const status = await screen.findByText(/^Submitted\./);
    expect(status.getAttribute('role')).toBe('status');
    expect(screen.getByRole('link', { name: 'Follow it' }).getAttribute('href')).toBe('/jobs/01JD1');
  });

  it('does not submit an empty prompt, and says why next to it', async () => {
    const { requests } = api();
    renderApp();
    await screen.findByRole('heading', { name: 'New image' });
    fireEvent.click(screen.getByRole('button', { name: 'Generate' }));
    expect(await screen.findByText('Prompt must not be empty')).toBeTruthy();
    expect(requests.some((request) => request.method === 'POST' && request.path === '/v1/jobs')).toBe(false);
  });

  it('puts a 400’s errors next to their fields, in the api’s words under the field’s label', async () => {
    // the api's messages start with the field's name
    api(() =>
      json(
        problem(400, {
          errors: [
            { field: 'prompt', message: 'prompt must not hold control characters' },
            { field: 'guidanceScale', message: 'guidanceScale must be between 0 and 35' },
          ],
        }),
        400,
      ),
    );
    renderApp();
    await screen.findByRole('heading', { name: 'New image' });
    fireEvent.change(prompt(), { target: { value: 'a cat' } });
    fireEvent.click(screen.getByRole('button', { name: 'Generate' }));
    const message = await screen.findByText('Prompt must not hold control characters');
    expect(prompt().getAttribute('aria-describedby')).toBe(message.id);
    // a field the form has no control for keeps its name
    expect(screen.getByText('guidanceScale must be between 0 and 35')).toBeTruthy();
    expect(screen.getByText('detail')).toBeTruthy();
    // the answer was about the form as it was: a change clears it
    fireEvent.change(prompt(), { target: { value: 'a cat on a mat' } });
    await waitFor(() => expect(screen.queryByText('detail')).toBeNull());
    expect(screen.queryByText('Prompt must not hold control characters')).toBeNull();
  });

  it('takes a re-run from the job list under it: the job’s parameters and seed, at once', async () => {
    const done = job({
      jobId: '01JDR',
      params: { ...job().params, prompt: 'a lighthouse at dusk', seed: 1234, steps: 40 },
      links: { self: '/v1/jobs/01JDR' },
    });
    fakeApi({
      'GET /v1/models': () => json({ items: [SDXL, SD21, STABILITY] }),
      'GET /v1/jobs': () => json({ items: [done], nextCursor: null }),
      'POST /v1/jobs/estimate': () => json(ESTIMATE),
    });
    renderApp();
    await screen.findByRole('heading', { name: 'New image' });
    fireEvent.change(prompt(), { target: { value: 'something else' } });
    fireEvent.click(await screen.findByRole('button', { name: 'Re-run' }));
    await waitFor(() => expect(prompt()).toHaveProperty('value', 'a lighthouse at dusk'));
    expect(screen.getByLabelText('Seed mode')).toHaveProperty('value', 'fixed');
    expect(screen.getByLabelText('Seed')).toHaveProperty('value', '1234');
    expect(screen.getByLabelText('Steps')).toHaveProperty('value', '40');
    fireEvent.click(screen.getByRole('button', { name: 'New seed' }));
    await waitFor(() => expect(screen.getByLabelText('Seed mode')).toHaveProperty('value', 'random'));
  });

  it('keeps the form’s heading when the models cannot be loaded, and offers to try again', async () => {
    fakeApi({
      'GET /v1/models': () => Promise.reject(new TypeError('Failed to fetch')),
      'GET /v1/jobs': () => Promise.reject(new TypeError('Failed to fetch')),
    });
    renderApp();
    await waitFor(() => expect(screen.getAllByRole('alert')).toHaveLength(2));
    const alerts = screen.getAllByRole('alert');
    expect(alerts.map((alert) => alert.closest('section')?.querySelector('h2')?.textContent)).toEqual([
      'New image',
      'Your jobs',
    ]);
    expect(alerts[0]!.textContent).toBe(
      'The api cannot be reached. Check that it is running, then try again.Try again',
    );
  });

  it('gives a 429’s retry time, and explains an exhausted budget', async () => {
    let answer = json(problem(429, { detail: 'Too many jobs in flight.' }), 429, { 'retry-after': '90' });
    api(() => answer);
    renderApp();
    await screen.findByRole('heading', { name: 'New image' });
    fireEvent.change(prompt(), { target: { value: 'a cat' } });
    fireEvent.click(screen.getByRole('button', { name: 'Generate' }));
    expect(await screen.findByText('Too many jobs in flight. Try again in 1 min 30 s.')).toBeTruthy();

    answer = json(problem(429, { budget: 'user', resetsAt: '2026-12-01T00:00:00.000Z' }), 429);
    act(() => {
      fireEvent.click(screen.getByRole('button', { name: 'Generate' }));
    });
    expect(await screen.findByText(/^Your monthly budget is spent\. It resets on/)).toBeTruthy();
  });
});

it('says so when no model is available', async () => {
  fakeApi({ 'GET /v1/models': () => json({ items: [] }), 'GET /v1/jobs': () => json({ items: [], nextCursor: null }) });
  renderApp();
  expect(await screen.findByText(/No model is available right now/)).toBeTruthy();
});
