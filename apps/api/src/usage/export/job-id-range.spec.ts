import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ulid } from 'ulid';
import { billingMonthOf } from '#libs/contracts';
import { jobIdRangeOf, MONTH_EDGE_MARGIN_MS, monthStartsAt, ulidRangeOf } from './job-id-range.js';

const at = (iso: string): number => Date.parse(iso);
const within = (id: string, range: { from: string; to: string }): boolean => id >= range.from && id <= range.to;

describe('ULID ranges of a month', () => {
  it('starts a month at 00:00 UTC on its first day, December and January included', () => {
    expect(monthStartsAt('2026-11').toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(monthStartsAt('2026-12').toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(monthStartsAt('2027-01').toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('holds every id of [start, end) and no other: the first and last millisecond, not the ones beside them', () => {
    const start = at('2026-11-01T00:00:00.000Z');
    const end = at('2026-12-01T00:00:00.000Z');
    const range = ulidRangeOf(start, end);
    for (let draw = 0; draw < 50; draw += 1) {
      expect(within(ulid(start), range)).toBe(true);
      expect(within(ulid(end - 1), range)).toBe(true);
      expect(within(ulid(start - 1), range)).toBe(false);
      expect(within(ulid(end), range)).toBe(false);
    }
    // the extreme random parts too
    expect(range.from).toBe(`${ulid(start).slice(0, 10)}0000000000000000`);
    expect(range.to).toBe(`${ulid(end - 1).slice(0, 10)}ZZZZZZZZZZZZZZZZ`);
  });

  it('holds an id exactly when its time is in [start, end) (property)', () => {
    const start = at('2026-02-01T00:00:00.000Z');
    const end = at('2026-03-01T00:00:00.000Z');
    const range = ulidRangeOf(start, end);
    fc.assert(
      fc.property(fc.integer({ min: start - 86_400_000, max: end + 86_400_000 }), (time) => {
        expect(within(ulid(time), range)).toBe(time >= start && time < end);
      }),
    );
  });

  it('reaches MONTH_EDGE_MARGIN_MS past both edges of the month, across a year’s end', () => {
    const range = jobIdRangeOf('2026-12');
    expect(within(ulid(at('2026-11-30T23:59:30.000Z')), range)).toBe(true);
    expect(within(ulid(at('2027-01-01T00:00:30.000Z')), range)).toBe(true);
    expect(within(ulid(at('2026-12-01T00:00:00.000Z') - MONTH_EDGE_MARGIN_MS - 1), range)).toBe(false);
    expect(within(ulid(at('2027-01-01T00:00:00.000Z') + MONTH_EDGE_MARGIN_MS), range)).toBe(false);
  });

  it('holds every id of a job created in the month, whatever its month rule says (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        (date) => {
          expect(within(ulid(date.getTime()), jobIdRangeOf(billingMonthOf(date)))).toBe(true);
        },
      ),
    );
  });

  it('stays within the times a ULID can encode', () => {
    expect(jobIdRangeOf('1970-01').from).toBe('0'.repeat(26));
    expect(ulidRangeOf(-5, 10).from).toBe('0'.repeat(26));
  });
});
