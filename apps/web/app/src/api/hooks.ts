import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { applyJob, forgetJob, freshest, JOBS_KEY, jobKey, type JobPage } from '../live/job-cache';
import { useLive } from '../live/LiveUpdates';
import { useApi } from './ApiContext';
import { ApiError, unwrap } from './client';
import { type CreateJob, isActive, type Job } from './types';

/** While a job shown is not final and the events stream is down, lists and details refresh this often. */
export const ACTIVE_POLL_MS = 2_000;
export const PAGE_SIZE = 12;

export function useModels() {
  const { client } = useApi();
  return useQuery({
    queryKey: ['models'],
    queryFn: () => unwrap(client.GET('/v1/models')),
    staleTime: 5 * 60_000,
  });
}

export function useJobs() {
  const { client } = useApi();
  const queryClient = useQueryClient();
  const live = useLive();
  return useInfiniteQuery({
    queryKey: JOBS_KEY,
    queryFn: async ({ pageParam }): Promise<JobPage> => {
      const page = await unwrap(
        client.GET('/v1/jobs', {
          params: { query: { limit: PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      );
      return { ...page, items: page.items.map((job) => freshest(queryClient, job)) };
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    // the events stream keeps the pages current; polling only while it is down
    refetchInterval: (query) =>
      live.state !== 'live' && query.state.data?.pages.some((page) => page.items.some(isActive))
        ? ACTIVE_POLL_MS
        : false,
  });
}

export function useJob(jobId: string) {
  const { client } = useApi();
  const queryClient = useQueryClient();
  const live = useLive();
  return useQuery({
    queryKey: jobKey(jobId),
    queryFn: async (): Promise<Job> =>
      freshest(queryClient, await unwrap(client.GET('/v1/jobs/{jobId}', { params: { path: { jobId } } }))),
    // another user's job (an admin's view) is not in the user's stream: that one is polled
    refetchInterval: (query) =>
      query.state.data && isActive(query.state.data) && !live.covers(jobId) ? ACTIVE_POLL_MS : false,
  });
}

export function useUsage() {
  const { client } = useApi();
  return useQuery({
    queryKey: ['usage'],
    queryFn: () => unwrap(client.GET('/v1/usage', { params: { query: {} } })),
  });
}

export function useEstimate(body: CreateJob | undefined) {
  const { client } = useApi();
  return useQuery({
    queryKey: ['estimate', body],
    queryFn: () => unwrap(client.POST('/v1/jobs/estimate', { body: body! })),
    enabled: body !== undefined,
    // a 400 is shown next to the fields; retrying it would not help
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
    placeholderData: (previous) => previous,
  });
}

export function useCreateJob() {
  const { client } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateJob) =>
      unwrap(client.POST('/v1/jobs', { body, params: { header: { 'Idempotency-Key': crypto.randomUUID() } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: JOBS_KEY }),
  });
}

/** Cancel (POST links.cancel, answered with the job) or delete (DELETE links.self, 204) a job. */
export function useJobAction(action: 'cancel' | 'delete') {
  const { follow } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (job: Job): Promise<Job | undefined> => {
      if (action === 'delete') {
        await follow('DELETE', job.links.self);
        return undefined;
      }
      if (!job.links.cancel) {
        throw new Error('This job cannot be canceled any more.');
      }
      return (await follow('POST', job.links.cancel)) as Job;
    },
    onSuccess: (answer, job) => {
      if (answer) {
        applyJob(queryClient, answer);
      } else {
        forgetJob(queryClient, job.jobId);
      }
      return queryClient.invalidateQueries({ queryKey: ['usage'] });
    },
  });
}
