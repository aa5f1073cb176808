import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { useApi } from '../api/ApiContext';
import { applyJob, forgetJob } from './job-cache';
import { openJobStream, type StreamState } from './job-stream';

interface Live {
  state: StreamState;
  /** Whether the stream delivers this job's changes: it sent the job since it connected (all of the user's unfinished jobs come on connect). */
  covers: (jobId: string) => boolean;
}

const LiveContext = createContext<Live>({ state: 'polling', covers: () => false });

/** While `live`, queries stop polling: the stream writes each change into the cache. */
export function useLive(): Live {
  return useContext(LiveContext);
}

/** One stream of the signed-in user's job events (GET /v1/jobs/events) for the whole dashboard. */
export function LiveUpdates({ children }: { children: ReactNode }) {
  const { authorizedFetch } = useApi();
  const queryClient = useQueryClient();
  const [state, setState] = useState<StreamState>('connecting');
  const seen = useRef(new Set<string>());
  useEffect(() => {
    seen.current = new Set();
    return openJobStream({
      fetch: authorizedFetch,
      onJob: (job) => {
        seen.current.add(job.jobId);
        applyJob(queryClient, job);
      },
      onDeleted: (jobId) => forgetJob(queryClient, jobId),
      onState: setState,
    });
  }, [authorizedFetch, queryClient]);
  const value = useMemo<Live>(
    () => ({ state, covers: (jobId) => state === 'live' && seen.current.has(jobId) }),
    [state],
  );
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

/** Says whether the page updates live or by polling. */
export function LiveIndicator() {
  const { state } = useLive();
  const text = { connecting: 'Connecting…', live: 'Live', polling: 'Updating every 2 s' }[state];
  return (
    <span className={`live live-${state}`} data-live={state} role="status" title="How the job list stays current">
      {text}
    </span>
  );
}
