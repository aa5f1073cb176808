import { useJobs } from '../api/hooks';
import { Empty, ErrorNote, Loading } from '../components/states';
import { Link } from '../router';

/** Thumbnails of the finished images (presigned URLs from the job views). */
export function Gallery() {
  const jobs = useJobs();
  if (jobs.isPending) {
    return <Loading what="your images" />;
  }
  // the error in its section, so the page says what could not be loaded
  if (jobs.isError) {
    return (
      <section className="card" aria-labelledby="gallery-heading">
        <h2 id="gallery-heading">Gallery</h2>
        <ErrorNote error={jobs.error} retry={() => void jobs.refetch()} />
      </section>
    );
  }
  const done = jobs.data.pages
    .flatMap((page) => page.items)
    .filter((job) => job.status === 'SUCCEEDED' && job.images.length > 0);
  return (
    <section className="card" aria-labelledby="gallery-heading">
      <h2 id="gallery-heading">Gallery</h2>
      {done.length === 0 ? (
        <Empty>No finished images yet.</Empty>
      ) : (
        <ul className="gallery">
          {done.flatMap((job) =>
            job.images.map((image, index) => (
              <li key={`${job.jobId}-${index}`}>
                <Link href={`/jobs/${job.jobId}`} title={job.params.prompt}>
                  <img
                    src={image.url}
                    alt={job.params.prompt}
                    loading="lazy"
                    width={image.width}
                    height={image.height}
                  />
                </Link>
              </li>
            )),
          )}
        </ul>
      )}
      {jobs.hasNextPage && (
        <button type="button" onClick={() => void jobs.fetchNextPage()} disabled={jobs.isFetchingNextPage}>
          More
        </button>
      )}
    </section>
  );
}
