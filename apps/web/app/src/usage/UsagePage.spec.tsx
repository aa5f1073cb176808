import { cleanup, screen } from '@testing-library/react';
import { fakeApi, json, renderApp } from '../test/render';

const counts = { total: 3, inFlight: 1, byStatus: { SUCCEEDED: 2 } };
const usage = {
  jobs: counts,
  gpuSeconds: 30.5,
  usd: 0.012,
  month: '2026-11',
  budget: { limitUsd: 25, committedUsd: 0.016, remainingUsd: 24.984, resetsAt: '2026-12-01T00:00:00.000Z' },
  keys: [],
};

beforeEach(() => sessionStorage.clear());

describe('the usage page', () => {
  it('shows month-to-date jobs, GPU time and spend against the budget', async () => {
    fakeApi({ 'GET /v1/usage': () => json(usage) });
    renderApp({ path: '/usage' });
    expect((await screen.findByTestId('usage-jobs')).textContent).toBe('3');
    expect(screen.getByText('30.5 s')).toBeTruthy();
    expect(screen.getByRole('img', { name: '$0.0120 spent and $0.0040 reserved of $25.00; $24.98 left' })).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.getByRole('img', { name: 'Succeeded 2, In flight 1' })).toBeTruthy();
  });

  it('charts the jobs by outcome without a budget too, and says when there are none', async () => {
    fakeApi({
      'GET /v1/usage': () =>
        json({ ...usage, budget: null, jobs: { total: 4, inFlight: 0, byStatus: { SUCCEEDED: 3, FAILED: 1 } } }),
    });
    renderApp({ path: '/usage' });
    expect(await screen.findByRole('img', { name: 'Succeeded 3, Failed 1' })).toBeTruthy();
    expect(screen.getByText('You have no monthly budget.')).toBeTruthy();
    cleanup();
    fakeApi({ 'GET /v1/usage': () => json({ ...usage, jobs: { total: 0, inFlight: 0, byStatus: {} } }) });
    renderApp({ path: '/usage' });
    expect(await screen.findByText('No jobs this month yet.')).toBeTruthy();
  });

  it('shows admins the spend per user', async () => {
    fakeApi({
      'GET /v1/usage': () =>
        json({
          ...usage,
          platform: { jobs: counts, gpuSeconds: 90, usd: 0.05, budget: null },
          users: {
            items: [{ ownerId: 'user-a', jobs: counts, gpuSeconds: 30, usd: 0.012, committedUsd: 0.016 }],
            nextCursor: null,
          },
        }),
    });
    renderApp({ path: '/usage', admin: true });
    const table = await screen.findByRole('table', { name: 'Spend per user this month' });
    expect(table.textContent).toContain('user-a');
    expect(table.textContent).toContain('$0.0120');
    expect(screen.getByText('3 jobs · 90.0 GPU s · $0.0500')).toBeTruthy();
  });

  it('says when the api cannot be reached', async () => {
    globalThis.fetch = () => Promise.reject(new TypeError('fetch failed'));
    renderApp({ path: '/usage' });
    expect((await screen.findByRole('alert')).textContent).toContain('The api cannot be reached');
  });
});
