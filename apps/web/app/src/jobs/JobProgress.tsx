import { formatSeconds } from '../api/client';
import type { Job } from '../api/types';

/** What the progress bar says for a job's phase; uses the fields the api sends, whichever it sends. */
export function progressText(job: Pick<Job, 'status' | 'progress'>): { label: string; fraction: number | undefined } {
  const { phase, step, totalSteps, position, etaSeconds } = job.progress;
  const eta = etaSeconds !== undefined ? ` · about ${formatSeconds(etaSeconds)} left` : '';
  switch (phase) {
    case 'waiting_for_capacity':
      return { label: `Starting a GPU${eta}`, fraction: undefined };
    case 'queued':
      return {
        label: `${position !== undefined ? `Queued · position ${position}` : 'Queued'}${eta}`,
        fraction: undefined,
      };
    case 'running':
      return step !== undefined && totalSteps
        ? { label: `Rendering · step ${step} of ${totalSteps}${eta}`, fraction: step / totalSteps }
        : { label: `Rendering${eta}`, fraction: undefined };
    case 'done':
      return {
        label: job.status.toLowerCase().replace('_', ' '),
        fraction: job.status === 'SUCCEEDED' ? 1 : undefined,
      };
  }
}

/** The bar with its ETA: determinate when the model reports steps, else an indeterminate animation. */
export function JobProgress({ job }: { job: Pick<Job, 'status' | 'progress'> }) {
  const { label, fraction } = progressText(job);
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
