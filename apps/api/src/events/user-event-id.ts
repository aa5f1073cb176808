import type { JobChange } from '#libs/aws';

/**
 * The `id` of an event of the per-user stream: `<updatedAt>|<jobId>|<version>` of the job write it reports (the
 * order of the stream is updatedAt, then jobId). Sent back as Last-Event-ID, it resumes after that write: changes
 * ordered after it are sent, those at or before it are not.
 */
export interface UserEventCursor {
  updatedAt: string;
  jobId: string;
  version: number;
}

const PATTERN = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z)\|([0-9A-Za-z]{1,64})\|(\d{1,12})$/;

export function userEventId(cursor: UserEventCursor): string {
  return `${cursor.updatedAt}|${cursor.jobId}|${cursor.version}`;
}

export function parseUserEventId(text: string): UserEventCursor | undefined {
  const match = PATTERN.exec(text);
  if (!match || Number.isNaN(Date.parse(match[1]!))) {
    return undefined;
  }
  return { updatedAt: match[1]!, jobId: match[2]!, version: Number(match[3]) };
}

/** Where a change sits in the stream: a job's write, or its deletion (stamped when it was deleted). */
export function cursorOf(change: JobChange): UserEventCursor {
  if (change.deletion) {
    const { deletedAt, jobId, version } = change.deletion;
    return { updatedAt: deletedAt, jobId, version };
  }
  const { job } = change;
  return { updatedAt: job.updatedAt, jobId: job.jobId, version: job.version ?? 1 };
}

/** Stream order: by updatedAt, then jobId; the version breaks ties of one job. */
export function compareCursors(a: UserEventCursor, b: UserEventCursor): number {
  return a.updatedAt < b.updatedAt
    ? -1
    : a.updatedAt > b.updatedAt
      ? 1
      : a.jobId < b.jobId
        ? -1
        : a.jobId > b.jobId
          ? 1
          : a.version - b.version;
}
