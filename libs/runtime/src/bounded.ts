/** What `bounded` resolves with when the time ran out first. */
export const TIMED_OUT = 'timeout';

/**
 * Resolves with `promise`'s value, or with TIMED_OUT once `ms` have passed and it has not settled (a rejection before
 * then rejects). The timer is cleared either way, so a bound never holds the process open.
 */
export async function bounded<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), Math.max(0, ms));
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
