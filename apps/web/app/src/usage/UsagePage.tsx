import { useUsage } from '../api/hooks';
import type { Usage } from '../api/types';
import { BarChart } from '../components/BarChart';
import { Empty, ErrorNote, Loading } from '../components/states';

const usd = (value: number): string => `$${value < 1 ? value.toFixed(4) : value.toFixed(2)}`;

/** Spent (final jobs), reserved (in flight) and what is left, against the budget, as one SVG bar. */
export function BudgetChart({ spentUsd, budget }: { spentUsd: number; budget: NonNullable<Usage['budget']> }) {
  const limit = Math.max(budget.limitUsd, 1e-9);
  const spent = Math.min(1, spentUsd / limit);
  const reserved = Math.min(1 - spent, Math.max(0, budget.committedUsd - spentUsd) / limit);
  const label = `${usd(spentUsd)} spent and ${usd(Math.max(0, budget.committedUsd - spentUsd))} reserved of ${usd(budget.limitUsd)}; ${usd(budget.remainingUsd)} left`;
  return (
    <figure className="chart">
      <svg role="img" aria-label={label} viewBox="0 0 300 24" width="100%" preserveAspectRatio="none">
        <rect x="0" y="0" width="300" height="24" rx="4" className="chart-track" />
        <rect x="0" y="0" width={spent * 300} height="24" className="chart-bar bar-0" />
        <rect x={spent * 300} y="0" width={reserved * 300} height="24" className="chart-bar bar-1" />
      </svg>
      <figcaption>
        {label}. Resets {new Date(budget.resetsAt).toLocaleDateString()}.
      </figcaption>
    </figure>
  );
}

/** This month's jobs by outcome (and those still in flight), one bar each: the chart even without a budget. */
export function JobsChart({ jobs }: { jobs: Usage['jobs'] }) {
  const rows = (
    [
      ['Succeeded', jobs.byStatus.SUCCEEDED ?? 0],
      ['Failed', jobs.byStatus.FAILED ?? 0],
      ['Canceled', jobs.byStatus.CANCELED ?? 0],
      ['Timed out', jobs.byStatus.TIMED_OUT ?? 0],
      ['In flight', jobs.inFlight],
    ] as const
  ).filter(([, count]) => count > 0);
  if (rows.length === 0) {
    return <Empty>No jobs this month yet.</Empty>;
  }
  return <BarChart bars={rows.map(([label, count]) => ({ label, value: count }))} barWidth={190} />;
}

function UsersChart({ users }: { users: NonNullable<Usage['users']>['items'] }) {
  if (users.length === 0) {
    return <Empty>No usage by anyone this month.</Empty>;
  }
  const max = Math.max(1e-9, ...users.map((user) => user.committedUsd));
  return (
    <table className="users">
      <caption>Spend per user this month</caption>
      <thead>
        <tr>
          <th scope="col">User</th>
          <th scope="col">Jobs</th>
          <th scope="col">GPU s</th>
          <th scope="col">Spent</th>
          <th scope="col" aria-hidden="true" />
        </tr>
      </thead>
      <tbody>
        {users.map((user) => (
          <tr key={user.ownerId}>
            <td className="mono">{user.ownerId}</td>
            <td>{user.jobs.total}</td>
            <td>{user.gpuSeconds.toFixed(1)}</td>
            <td>{usd(user.usd)}</td>
            <td aria-hidden="true" className="bar-cell">
              <svg viewBox="0 0 100 10" width="100" height="10">
                <rect width={(user.committedUsd / max) * 100} height="10" rx="2" className="chart-bar bar-0" />
              </svg>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function UsagePage({ admin }: { admin: boolean }) {
  const usage = useUsage();
  if (usage.isPending) {
    return <Loading what="usage" />;
  }
  // the error in its section, so the page says what could not be loaded
  if (usage.isError) {
    return (
      <section className="card usage" aria-labelledby="usage-heading">
        <h2 id="usage-heading">Usage</h2>
        <ErrorNote error={usage.error} retry={() => void usage.refetch()} />
      </section>
    );
  }
  const data = usage.data;
  return (
    <section className="card usage" aria-labelledby="usage-heading">
      <h2 id="usage-heading">Usage in {data.month}</h2>
      <dl className="stats">
        <div>
          <dt>Jobs</dt>
          <dd data-testid="usage-jobs">{data.jobs.total}</dd>
        </div>
        <div>
          <dt>In flight</dt>
          <dd>{data.jobs.inFlight}</dd>
        </div>
        <div>
          <dt>GPU time</dt>
          <dd>{data.gpuSeconds.toFixed(1)} s</dd>
        </div>
        <div>
          <dt>Spent</dt>
          <dd>{usd(data.usd)}</dd>
        </div>
      </dl>
      <h3>Jobs</h3>
      <JobsChart jobs={data.jobs} />
      <h3>Budget</h3>
      {data.budget ? (
        <BudgetChart spentUsd={data.usd} budget={data.budget} />
      ) : (
        <p className="muted">You have no monthly budget.</p>
      )}
      {admin && data.platform && (
        <>
          <h3>Platform</h3>
          <p>
            {data.platform.jobs.total} jobs · {data.platform.gpuSeconds.toFixed(1)} GPU s · {usd(data.platform.usd)}
          </p>
          {data.platform.budget && <BudgetChart spentUsd={data.platform.usd} budget={data.platform.budget} />}
        </>
      )}
      {admin && data.users && <UsersChart users={data.users.items} />}
    </section>
  );
}
