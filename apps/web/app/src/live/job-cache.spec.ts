import { type InfiniteData, QueryClient } from '@tanstack/react-query';
import { job } from '../test/fixtures';
import { applyJob, forgetJob, freshest, type JobPage, JOBS_KEY, jobKey } from './job-cache';
import type { Job } from '../api/types';

const at = (second: number) => `2026-11-26T12:00:${String(second).padStart(2, '0')}.000Z`;
const view = (jobId: string, status: Job['status'] = 'QUEUED', second = 0) =>
  job({ jobId, status, updatedAt: at(second) });

function withPages(...pages: [string[], string | null][]): QueryClient {
  const queryClient = new QueryClient();
  queryClient.setQueryData<InfiniteData<JobPage>>(JOBS_KEY, {
    pages: pages.map(([ids, nextCursor]) => ({ items: ids.map((id) => view(id)), nextCursor })),
    pageParams: pages.map((_, index) => index),
  });
  return queryClient;
}
const listed = (queryClient: QueryClient) =>
  queryClient.getQueryData<InfiniteData<JobPage>>(JOBS_KEY)!.pages.map((page) => page.items.map((item) => item.jobId));

describe('job events into the query cache', () => {
  it('replaces the job in the listing and in its own entry, never with an older view', () => {
    const queryClient = withPages([['03', '02', '01'], null]);
    applyJob(queryClient, view('02', 'RUNNING', 5));
    expect(queryClient.getQueryData<InfiniteData<JobPage>>(JOBS_KEY)!.pages[0]!.items[1]!.status).toBe('RUNNING');
    expect(queryClient.getQueryData<Job>(jobKey('02'))!.status).toBe('RUNNING');
    applyJob(queryClient, view('02', 'QUEUED', 1));
    expect(queryClient.getQueryData<Job>(jobKey('02'))!.status).toBe('RUNNING');
    expect(queryClient.getQueryData<InfiniteData<JobPage>>(JOBS_KEY)!.pages[0]!.items[1]!.status).toBe('RUNNING');
    expect(freshest(queryClient, view('02', 'QUEUED', 2)).status).toBe('RUNNING');
  });

  it('inserts a job it has not listed in jobId order, unless it belongs to a page not loaded yet', () => {
    const queryClient = withPages([['09', '07'], 'c2'], [['05', '03'], 'c3']);
    applyJob(queryClient, view('10'));
    applyJob(queryClient, view('06'));
    applyJob(queryClient, view('01'));
    expect(listed(queryClient)).toEqual([
      ['10', '09', '07'],
      ['06', '05', '03'],
    ]);
    const complete = withPages([[], null]);
    applyJob(complete, view('01'));
    expect(listed(complete)).toEqual([['01']]);
  });

  it('refreshes the usage when a job becomes final', () => {
    const queryClient = withPages([['01'], null]);
    queryClient.setQueryData(['usage'], { jobs: 0 });
    applyJob(queryClient, view('01', 'RUNNING', 1));
    expect(queryClient.getQueryState(['usage'])!.isInvalidated).toBe(false);
    applyJob(queryClient, view('01', 'SUCCEEDED', 2));
    expect(queryClient.getQueryState(['usage'])!.isInvalidated).toBe(true);
  });

  it('keeps a deleted job gone when a late event about it arrives', () => {
    const queryClient = withPages([['02', '01'], null]);
    forgetJob(queryClient, '02');
    applyJob(queryClient, view('02', 'CANCELED', 9));
    expect(listed(queryClient)).toEqual([['01']]);
    expect(queryClient.getQueryData(jobKey('02'))).toBeUndefined();
  });
});
