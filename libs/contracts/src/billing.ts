/**
 * Money and months of the usage ledger. Amounts are kept as integer micro-USD so that sums are exact; a month is
 * `YYYY-MM` in UTC and a job counts in the month it was created in.
 */
export const MICROS_PER_USD = 1_000_000;

const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isBillingMonth(value: string): boolean {
  return MONTH_PATTERN.test(value);
}

/** The UTC month (`YYYY-MM`) of an instant. */
export function billingMonthOf(instant: string | Date): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) {
    throw new RangeError(`not an instant: ${String(instant)}`);
  }
  return date.toISOString().slice(0, 7);
}

/** 00:00 UTC on the first day of the month after `month`: when that month's budget resets. */
export function monthResetsAt(month: string): Date {
  const match = MONTH_PATTERN.exec(month);
  if (!match) {
    throw new RangeError(`not a month (YYYY-MM): ${month}`);
  }
  // Date.UTC rolls month 12 over into January of the next year
  return new Date(Date.UTC(Number(match[1]), Number(match[2]), 1));
}

/** Whole seconds from `now` until `at`, at least 1 (a Retry-After of 0 would invite a busy loop). */
export function secondsUntil(at: Date, now: Date): number {
  return Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000));
}

/** USD to micro-USD, rounded up: a reservation or a charge never comes out below the amount. */
export function usdToMicros(usd: number): number {
  // the epsilon keeps binary noise (1.0000000000000002e6) from adding a whole micro-dollar
  return Math.max(0, Math.ceil(usd * MICROS_PER_USD - 1e-6));
}

export function microsToUsd(micros: number): number {
  return micros / MICROS_PER_USD;
}
