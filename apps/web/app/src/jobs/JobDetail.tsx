import { useState } from 'react';
import { useJob } from '../api/hooks';
import { isActive } from '../api/types';
import { ErrorNote, Loading } from '../components/states';
import { Link, navigate } from '../router';
import { curlFor } from './curl';
import { ImageOutcomes } from './ImageOutcomes';
import { JobActions } from './JobActions';
import { StatusBadge } from './JobList';
import { JobProgress } from './JobProgress';
import { TimingsChart } from './TimingsChart';

export function JobDetail({ jobId, apiBase }: { jobId: string; apiBase: string }) {
  const job = useJob(jobId);
  const [copied, setCopied] = useState(false);
  if (job.isPending) {
    return <Loading what="the job" />;
  }
  if (job.isError) {
    return <ErrorNote error={job.error} retry={() => void job.refetch()} />;
  }
  const { params, metadata } = job.data;
  const curl = curlFor(params, apiBase || location.origin);
  const copy = async () => {
    await navigator.clipboard?.writeText(curl);
    setCopied(true);
  };
  const rows: [string, string | number][] = [
    ['Prompt', params.prompt],
    ...(params.negativePrompt ? [['Negative prompt', params.negativePrompt] as [string, string]] : []),
    ['Model', params.modelId],
    ['Size', `${params.width} × ${params.height}`],
    ['Quality', params.quality],
    ['Steps', params.steps],
    ['Guidance scale', params.guidanceScale],
    ['Seed', params.seed],
    ['Images', params.numImages],
    ['Format', params.outputFormat],
    ['Endpoint', metadata.endpointName],
    ...(metadata.cost
      ? [
          ['Cost', `$${metadata.cost.usd.toFixed(6)} · ${metadata.cost.gpuSeconds.toFixed(2)} GPU s`] as [
            string,
            string,
          ],
        ]
      : []),
  ];
  return (
    <article className="detail" aria-labelledby="detail-heading">
      <p>
        <Link href="/">← Back</Link>
      </p>
      <h2 id="detail-heading">
        <StatusBadge status={job.data.status} /> {params.prompt}
      </h2>
      {isActive(job.data) && <JobProgress job={job.data} />}
      {job.data.error && (
        <div className="error" role="alert">
          <strong>{job.data.error.code}</strong>: {job.data.error.message}
        </div>
      )}
      {metadata.cancellation && (
        <p className="muted" data-testid="cancellation">
          Canceled while {metadata.cancellation.from.toLowerCase()}: saved{' '}
          {metadata.cancellation.gpuSecondsSaved.toFixed(1)} GPU s (${metadata.cancellation.usdSaved.toFixed(4)}) of the{' '}
          {metadata.cancellation.estimatedGpuSeconds.toFixed(1)} estimated.
        </p>
      )}
      <ImageOutcomes outcomes={job.data.imageOutcomes} />
      <div className="detail-grid">
        <div className="images">
          {job.data.images.map((image) => (
            <figure key={image.index}>
              <img
                src={image.url}
                alt={`${params.prompt} (image ${image.index + 1})`}
                width={image.width}
                height={image.height}
              />
              <figcaption>
                {/* the image is on another origin (S3), where browsers ignore `download`: a new tab keeps the
                    dashboard open */}
                <a
                  href={image.url}
                  download={`${jobId}-${image.index + 1}.${image.format}`}
                  target="_blank"
                  rel="noopener noreferrer"
                >
                  Download {image.format.toUpperCase()} ({Math.round(image.bytes / 1024)} KB)
                </a>
              </figcaption>
            </figure>
          ))}
          {job.data.images.length === 0 && !isActive(job.data) && <p className="muted">No image.</p>}
        </div>
        <div>
          <h3>Parameters</h3>
          <dl className="params">
            {rows.map(([name, value]) => (
              <div key={name}>
                <dt>{name}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
          <details>
            <summary>As a curl command</summary>
            <pre className="curl">{curl}</pre>
            <button type="button" onClick={() => void copy()}>
              {copied ? 'Copied' : 'Copy'}
            </button>{' '}
            <small className="muted">
              <code>$TOKEN</code>: an access token or an API key (<code>POST /v1/keys</code>).
            </small>
          </details>
          <h3>Timings</h3>
          <TimingsChart timings={metadata.timings} />
          <JobActions job={job.data} afterDelete={() => navigate('/', { replace: true })} />
        </div>
      </div>
    </article>
  );
}
