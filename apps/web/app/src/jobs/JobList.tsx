import { useJobs } from '../api/hooks';
import { isActive, type Job } from '../api/types';
import { Empty, ErrorNote, Loading } from '../components/states';
import { Link } from '../router';
import { JobActions } from './JobActions';
import { JobProgress } from './JobProgress';

export function StatusBadge({ status }: { status: Job['status'] }) {
  return <span className={`badge status-${status.toLowerCase()}`}>{status.replace('_', ' ').toLowerCase()}</span>;
}

function JobRow({ job }: { job: Job }) {
  return (
    <li className="job-row" data-status={job.status} data-job-id={job.jobId}>
      <Link href={`/jobs/${job.jobId}`} className="thumb" aria-label={`Open job: ${job.params.prompt}`}>
        {job.imageUrl ? <img src={job.imageUrl} alt="" loading="lazy" /> : <span className="placeholder" />}
      </Link>
      <div className="job-body">
        <Link href={`/jobs/${job.jobId}`} className="prompt">
          {job.params.prompt}
        </Link>
        <div className="meta">
          <StatusBadge status={job.status} /> {job.params.modelId} · {job.params.width}×{job.params.height} ·{' '}
          <time dateTime={job.createdAt}>{new Date(job.createdAt).toLocaleString()}</time>
        </div>
        {isActive(job) && <JobProgress job={job} />}
        {job.error && <p className="error small">{job.error.message}</p>}
        <JobActions job={job} />
      </div>
    </li>
  );
}

/** The user's jobs, newest first; refreshed every 2 s while one is active; older pages on demand. */
export function JobList() {
  const jobs = useJobs();
  if (!jobs.data) {
    // the error in its section, so the page says what could not be loaded
    return jobs.isError ? (
      <section className="card" aria-labelledby="jobs-heading">
        <h2 id="jobs-heading">Your jobs</h2>
        <ErrorNote error={jobs.error} retry={() => void jobs.refetch()} />
      </section>
    ) : (
      <Loading what="your jobs" />
    );
  }
  const items = jobs.data.pages.flatMap((page) => page.items);
  return (
    <section className="card" aria-labelledby="jobs-heading">
      <h2 id="jobs-heading">Your jobs</h2>
      {/* a failed refresh keeps the list it had */}
      {jobs.error && <ErrorNote error={jobs.error} />}
      {items.length === 0 ? (
        <Empty>No jobs yet. Describe an image above and press Generate.</Empty>
      ) : (
        <ul className="job-list">
          {items.map((job) => (
            <JobRow key={job.jobId} job={job} />
          ))}
        </ul>
      )}
      {jobs.hasNextPage && (
        <button type="button" onClick={() => void jobs.fetchNextPage()} disabled={jobs.isFetchingNextPage}>
          {jobs.isFetchingNextPage ? 'Loading…' : 'Older jobs'}
        </button>
      )}
    </section>
  );
}
