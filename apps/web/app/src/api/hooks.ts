import { type InfiniteData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from './ApiContext';
import { ApiError, unwrap } from './client';
import { type CreateJob, isActive, type Job } from './types';

/** While any job shown is not final, lists and details refresh this often (the events stream replaces it where the api offers one). */
export const ACTIVE_POLL_MS = 2_000;
export const PAGE_SIZE = 12;

type JobPage = { items: Job[]; nextCursor: string | null };

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
  return useInfiniteQuery({
    queryKey: ['jobs'],
    queryFn: async ({ pageParam }): Promise<JobPage> =>
      unwrap(
        client.GET('/v1/jobs', {
          params: { query: { limit: PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) => page.items.some(isActive)) ? ACTIVE_POLL_MS : false,
  });
}

export function useJob(jobId: string) {
  const { client } = useApi();
  return useQuery({
    queryKey: ['job', jobId],
    queryFn: async (): Promise<Job> => unwrap(client.GET('/v1/jobs/{jobId}', { params: { path: { jobId } } })),
    refetchInterval: (query) => (query.state.data && isActive(query.state.data) ? ACTIVE_POLL_MS : false),
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
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['jobs'] }),
  });
}

/** Cancel or delete through the job's own link (present only when the api allows the action). */
export function useJobAction(action: 'cancel' | 'delete') {
  const { follow } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (job: Job) => {
      const href = action === 'cancel' ? job.links.cancel : job.links.delete;
      if (!href) {
        throw new Error(`This job cannot be ${action === 'cancel' ? 'canceled' : 'deleted'} now.`);
      }
      await follow(action === 'cancel' ? 'POST' : 'DELETE', href);
      return job;
    },
    onSuccess: (job) => {
      if (action === 'delete') {
        queryClient.setQueryData<InfiniteData<JobPage>>(
          ['jobs'],
          (data) =>
            data && {
              ...data,
              pages: data.pages.map((page) => ({
                ...page,
                items: page.items.filter((item) => item.jobId !== job.jobId),
              })),
            },
        );
        queryClient.removeQueries({ queryKey: ['job', job.jobId] });
      }
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: ['jobs'] }),
        action === 'cancel' ? queryClient.invalidateQueries({ queryKey: ['job', job.jobId] }) : undefined,
      ]);
    },
  });
}
