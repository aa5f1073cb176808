import { encodeTime, TIME_LEN, TIME_MAX } from 'ulid';
import { monthResetsAt } from '#libs/contracts';

/**
 * How far past the month's edges the id range reaches. A job's id is drawn just before its `createdAt` is read, so
 * the two can fall on either side of midnight; the range is widened and the rows are kept by `createdAt`'s month,
 * the rule GET /v1/usage counts by.
 */
export const MONTH_EDGE_MARGIN_MS = 60_000;

const RANDOM_LEN = 26 - TIME_LEN;
const LOWEST_RANDOM = '0'.repeat(RANDOM_LEN);
const HIGHEST_RANDOM = 'Z'.repeat(RANDOM_LEN);

/** 00:00 UTC on the first day of `month` (YYYY-MM). */
export function monthStartsAt(month: string): Date {
  const end = monthResetsAt(month);
  return new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - 1, 1));
}

/**
 * The smallest and the largest ULID whose time lies in [start, end), inclusive bounds for a key condition
 * `jobId BETWEEN from AND to`: a ULID's first 10 characters encode its millisecond, the other 16 are random.
 */
export function ulidRangeOf(start: number, end: number): { from: string; to: string } {
  const clamp = (ms: number): number => Math.min(TIME_MAX, Math.max(0, ms));
  return {
    from: encodeTime(clamp(start), TIME_LEN) + LOWEST_RANDOM,
    to: encodeTime(clamp(end - 1), TIME_LEN) + HIGHEST_RANDOM,
  };
}

/** The ids of jobs that may have been created in `month` (UTC), with MONTH_EDGE_MARGIN_MS either side. */
export function jobIdRangeOf(month: string): { from: string; to: string } {
  return ulidRangeOf(
    monthStartsAt(month).getTime() - MONTH_EDGE_MARGIN_MS,
    monthResetsAt(month).getTime() + MONTH_EDGE_MARGIN_MS,
  );
}
