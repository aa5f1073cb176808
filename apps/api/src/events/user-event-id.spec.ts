import { describe, expect, it } from '@jest/globals';
import { compareCursors, parseUserEventId, userEventId } from './user-event-id.js';

describe('per-user event ids', () => {
  const cursor = { updatedAt: '2026-11-26T12:00:01.250Z', jobId: '01JD0000000000000000000000', version: 3 };

  it('round-trips and refuses what this stream never sent', () => {
    expect(parseUserEventId(userEventId(cursor))).toEqual(cursor);
    for (const bad of ['', '42', 'yesterday|x|1', '2026-11-26T12:00:01.250Z|01JD|x', `${userEventId(cursor)}\n`]) {
      expect(parseUserEventId(bad)).toBeUndefined();
    }
  });

  it('orders by write time, then job, then version', () => {
    expect(compareCursors(cursor, { ...cursor, updatedAt: '2026-11-26T12:00:01.251Z' })).toBeLessThan(0);
    expect(compareCursors(cursor, { ...cursor, jobId: '01JD0000000000000000000001' })).toBeLessThan(0);
    expect(compareCursors(cursor, { ...cursor, version: 2 })).toBeGreaterThan(0);
    expect(compareCursors(cursor, cursor)).toBe(0);
  });
});
