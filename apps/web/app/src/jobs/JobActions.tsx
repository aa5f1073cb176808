import { describeError } from '../api/client';
import { useJobAction } from '../api/hooks';
import { isActive, type Job } from '../api/types';
import { draftFromParams, replaceDraft } from '../form/draft';
import { navigate } from '../router';

/** Re-run (same or new seed) and delete (DELETE links.self) always; cancel only while the job offers links.cancel. */
export function JobActions({ job, afterDelete }: { job: Job; afterDelete?: () => void }) {
  const cancel = useJobAction('cancel');
  const remove = useJobAction('delete');
  const rerun = (seed: 'same' | 'new') => {
    replaceDraft(draftFromParams(job.params, seed));
    navigate('/');
  };
  const failed = cancel.error ?? remove.error;
  return (
    <div className="job-actions">
      <button type="button" onClick={() => rerun('same')} title="Same parameters and seed">
        Re-run
      </button>
      <button type="button" onClick={() => rerun('new')} title="Same parameters, new seed">
        New seed
      </button>
      {job.links.cancel && (
        <button type="button" disabled={cancel.isPending} onClick={() => cancel.mutate(job)}>
          {cancel.isPending ? 'Canceling…' : 'Cancel'}
        </button>
      )}
      <button
        type="button"
        className="danger"
        disabled={remove.isPending}
        onClick={() => {
          if (window.confirm(isActive(job) ? 'Cancel and delete this job?' : 'Delete this job and its images?')) {
            remove.mutate(job, { onSuccess: () => afterDelete?.() });
          }
        }}
      >
        {remove.isPending ? 'Deleting…' : 'Delete'}
      </button>
      {failed && (
        <span className="error" role="alert">
          {describeError(failed)}
        </span>
      )}
    </div>
  );
}
