import { useEffect, useState } from 'react';
import { formatSeconds } from '../api/client';
import type { Job } from '../api/types';

type ProgressJob = Pick<Job, 'status' | 'progress'>;

const ahead = (position: number | undefined): string =>
  position === undefined
    ? ''
    : position === 0
      ? ' · next in line'
      : ` · ${position} ${position === 1 ? 'job' : 'jobs'} ahead`;

/** "about 40 s left" from the api's estimatedCompletionAt, as of `now`. */
function etaText(estimatedCompletionAt: string | undefined, now: number): string {
  if (!estimatedCompletionAt) {
    return '';
  }
  const seconds = (Date.parse(estimatedCompletionAt) - now) / 1000;
  return seconds >= 1 ? ` · about ${formatSeconds(seconds)} left` : ' · almost done';
}

/**
 * What the progress bar says and how full it is, from the job's progress view: "Starting a GPU" while its endpoint
 * has no instance (a cold start), the jobs ahead while queued, the steps (or the time, against the estimate) while
 * running. `fraction` undefined: an indeterminate bar.
 */
export function progressText(job: ProgressJob, now = Date.now()): { label: string; fraction: number | undefined } {
  const { phase, step, totalSteps, position, startedAt, estimatedCompletionAt } = job.progress;
  const eta = etaText(estimatedCompletionAt, now);
  switch (phase) {
    case 'waiting_for_capacity':
      return { label: `Starting a GPU${ahead(position)}${eta}`, fraction: undefined };
    case 'queued':
      return { label: `Queued${ahead(position)}${eta}`, fraction: undefined };
    case 'running': {
      if (step !== undefined && totalSteps) {
        return { label: `Rendering · step ${step} of ${totalSteps}${eta}`, fraction: Math.min(1, step / totalSteps) };
      }
      const start = startedAt ? Date.parse(startedAt) : NaN;
      const end = estimatedCompletionAt ? Date.parse(estimatedCompletionAt) : NaN;
      const fraction = end > start ? Math.min(0.99, Math.max(0, (now - start) / (end - start))) : undefined;
      return { label: `Rendering${eta}`, fraction };
    }
    case 'done':
      return {
        label: job.status.toLowerCase().replace('_', ' '),
        fraction: job.status === 'SUCCEEDED' ? 1 : undefined,
      };
  }
}

/** The current time, every `ms` while `active` (for ETAs that count down between two events). */
function useNow(active: boolean, ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) {
      return undefined;
    }
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [active, ms]);
  return now;
}

/** The bar with its ETA: determinate when steps or a start and an estimate are known, else an animation. */
export function JobProgress({ job }: { job: ProgressJob }) {
  const now = useNow(job.progress.estimatedCompletionAt !== undefined);
  const { label, fraction } = progressText(job, now);
  return (
    <div className="progress" data-phase={job.progress.phase}>
      <div
        className={`bar${fraction === undefined ? ' indeterminate' : ''}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        {...(fraction !== undefined ? { 'aria-valuenow': Math.round(fraction * 100) } : {})}
      >
        <span style={fraction !== undefined ? { width: `${Math.round(fraction * 100)}%` } : undefined} />
      </div>
      <small>{label}</small>
    </div>
  );
}
