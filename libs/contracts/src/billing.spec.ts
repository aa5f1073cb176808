import { billingMonthOf, isBillingMonth, microsToUsd, monthResetsAt, secondsUntil, usdToMicros } from './billing.js';

describe('billing months and money', () => {
  it('puts an instant in its UTC month, on both sides of a month boundary', () => {
    expect(billingMonthOf('2026-11-30T23:59:59.999Z')).toBe('2026-11');
    expect(billingMonthOf('2026-12-01T00:00:00.000Z')).toBe('2026-12');
    // 23:30 on the 31st in New York is already January in UTC
    expect(billingMonthOf('2026-12-31T23:30:00-05:00')).toBe('2027-01');
    expect(billingMonthOf(new Date(Date.UTC(2028, 1, 29, 12)))).toBe('2028-02');
    expect(() => billingMonthOf('yesterday')).toThrow(new RangeError('not an instant: yesterday'));
    expect(() => billingMonthOf(new Date(Number.NaN))).toThrow(new RangeError('not an instant: Invalid Date'));
  });

  it('resets a month’s budget at 00:00 UTC on the first of the next month, December into January', () => {
    expect(monthResetsAt('2026-11').toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(monthResetsAt('2026-12').toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(monthResetsAt('2028-02').toISOString()).toBe('2028-03-01T00:00:00.000Z');
    expect(() => monthResetsAt('2026-13')).toThrow(new RangeError('not a month (YYYY-MM): 2026-13'));
  });

  it('accepts only YYYY-MM months', () => {
    expect(['2026-01', '2026-12', '1999-09'].every(isBillingMonth)).toBe(true);
    expect(['2026-1', '2026-00', '2026-13', '26-01', '2026-01-01', ' 2026-01'].some(isBillingMonth)).toBe(false);
  });

  it('counts whole seconds to a reset, never less than one', () => {
    const now = new Date('2026-11-30T23:59:58.500Z');
    expect(secondsUntil(monthResetsAt('2026-11'), now)).toBe(2);
    expect(secondsUntil(new Date('2026-11-30T23:59:59.000Z'), now)).toBe(1);
    expect(secondsUntil(new Date('2026-11-01T00:00:00.000Z'), now)).toBe(1);
  });

  it('converts USD to micro-USD rounding up, and back exactly', () => {
    expect(usdToMicros(0.0000011)).toBe(2);
    expect(usdToMicros(1)).toBe(1_000_000);
    expect(usdToMicros(0.1 + 0.2)).toBe(300_000);
    expect(usdToMicros(0)).toBe(0);
    expect(microsToUsd(1_234_567)).toBe(1.234567);
  });
});
