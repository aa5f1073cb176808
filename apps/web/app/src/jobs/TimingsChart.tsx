import type { Job } from '../api/types';
import { BarChart } from '../components/BarChart';

export interface TimingBar {
  label: string;
  ms: number;
}

/**
 * Where the job's time went: queue (to SageMaker, in the endpoint's backlog and in the container), cold start (the
 * model loading, when the container reports it), inference (the container's own figure when it reports one, else
 * SageMaker's accepted → output, backlog included) and the platform's share (the rest of the total).
 */
export function timingBars(timings: Job['metadata']['timings']): TimingBar[] {
  const bars: TimingBar[] = [];
  const model = timings.model;
  if (model?.inferenceMs !== undefined && timings.inferenceMs !== undefined) {
    const loadMs = model.loadMs ?? 0;
    const backlogMs = Math.max(0, timings.inferenceMs - loadMs - (model.queueMs ?? 0) - model.inferenceMs);
    bars.push({ label: 'Queue', ms: (timings.queueMs ?? 0) + backlogMs + (model.queueMs ?? 0) });
    if (loadMs > 0) {
      bars.push({ label: 'Cold start', ms: loadMs });
    }
    bars.push({ label: 'Inference', ms: model.inferenceMs });
  } else if (timings.queueMs === undefined && timings.inferenceMs === undefined) {
    // a job canceled or timed out before any result: what its timestamps tell, with no platform share to guess
    const at = (time: string | undefined) => (time ? Date.parse(time) : NaN);
    const [submitted, started, ended] = [at(timings.submittedAt), at(timings.startedAt), at(timings.finalizedAt)];
    if (started >= submitted && ended >= started) {
      return [
        { label: 'Queue', ms: started - submitted },
        { label: 'Inference', ms: ended - started },
      ];
    }
    return [];
  } else {
    if (timings.queueMs !== undefined) {
      bars.push({ label: 'Queue', ms: timings.queueMs });
    }
    if (timings.inferenceMs !== undefined) {
      bars.push({ label: 'Inference', ms: timings.inferenceMs });
    }
  }
  if (timings.totalMs !== undefined) {
    const counted = bars.reduce((sum, bar) => sum + bar.ms, 0);
    bars.push({ label: 'Platform', ms: Math.max(0, timings.totalMs - counted) });
  }
  return bars;
}

const formatMs = (ms: number): string => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

/** Where a job's time went: queue, cold start, inference, platform. */
export function TimingsChart({ timings }: { timings: Job['metadata']['timings'] }) {
  const bars = timingBars(timings);
  if (bars.length === 0) {
    return (
      <p className="muted">
        {timings.totalMs !== undefined ? `Total ${formatMs(timings.totalMs)}; no breakdown.` : 'No timings yet.'}
      </p>
    );
  }
  return (
    <BarChart
      bars={bars.map((bar) => ({ label: bar.label, value: bar.ms, shown: formatMs(bar.ms) }))}
      barWidth={170}
      {...(timings.totalMs !== undefined ? { caption: `Total ${formatMs(timings.totalMs)}` } : {})}
    />
  );
}
