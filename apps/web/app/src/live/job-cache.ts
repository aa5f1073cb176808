import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import { isActive, type Job } from '../api/types';

export type JobPage = { items: Job[]; nextCursor: string | null };
export const JOBS_KEY = ['jobs'] as const;
export const jobKey = (jobId: string) => ['job', jobId] as const;

/** Jobs the user deleted, per query client: a late event (the cancel that a delete of an active job writes) must not bring one back. */
const deleted = new WeakMap<QueryClient, Set<string>>();
const deletedIn = (queryClient: QueryClient): Set<string> => {
  let set = deleted.get(queryClient);
  if (!set) {
    set = new Set();
    deleted.set(queryClient, set);
  }
  return set;
};

/** The newer of two views of one job (an event can overtake a slower GET, or the other way round). */
const newer = (current: Job | undefined, next: Job): Job =>
  current && Date.parse(current.updatedAt) > Date.parse(next.updatedAt) ? current : next;

/** A job as fetched, unless the cache holds a newer view of it (an event that arrived while the GET was on its way). */
export function freshest(queryClient: QueryClient, job: Job): Job {
  return newer(queryClient.getQueryData<Job>(jobKey(job.jobId)), job);
}

/**
 * A job view from the event stream (or an action's answer) into TanStack Query's cache: the job's own entry, and
 * the listing, where it replaces the same job or is inserted in jobId order (ULIDs sort by creation) when it
 * falls within the pages loaded so far. A job that became final refreshes the usage.
 */
export function applyJob(queryClient: QueryClient, job: Job): void {
  if (deletedIn(queryClient).has(job.jobId)) {
    return;
  }
  queryClient.setQueryData<Job>(jobKey(job.jobId), (current) => newer(current, job));
  queryClient.setQueryData<InfiniteData<JobPage>>(JOBS_KEY, (data) => data && withJob(data, job));
  if (!isActive(job)) {
    void queryClient.invalidateQueries({ queryKey: ['usage'] });
  }
}

function withJob(data: InfiniteData<JobPage>, job: Job): InfiniteData<JobPage> {
  const found = data.pages.some((page) => page.items.some((item) => item.jobId === job.jobId));
  if (found) {
    return {
      ...data,
      pages: data.pages.map((page) => ({
        ...page,
        items: page.items.map((item) => (item.jobId === job.jobId ? newer(item, job) : item)),
      })),
    };
  }
  // before the first older job loaded; past the last loaded page it belongs to a page not fetched yet
  const pageIndex = data.pages.findIndex((page) => page.items.some((item) => item.jobId < job.jobId));
  const last = data.pages.length - 1;
  const target = pageIndex >= 0 ? pageIndex : data.pages[last]?.nextCursor ? -1 : last;
  if (target < 0) {
    return data;
  }
  return {
    ...data,
    pages: data.pages.map((page, index) => {
      if (index !== target) {
        return page;
      }
      const at = page.items.findIndex((item) => item.jobId < job.jobId);
      const items = [...page.items];
      items.splice(at < 0 ? items.length : at, 0, job);
      return { ...page, items };
    }),
  };
}

/** A deleted job leaves the listing and its own entry at once, and stays gone. */
export function forgetJob(queryClient: QueryClient, jobId: string): void {
  deletedIn(queryClient).add(jobId);
  queryClient.setQueryData<InfiniteData<JobPage>>(
    JOBS_KEY,
    (data) =>
      data && {
        ...data,
        pages: data.pages.map((page) => ({ ...page, items: page.items.filter((item) => item.jobId !== jobId) })),
      },
  );
  queryClient.removeQueries({ queryKey: jobKey(jobId) });
}
