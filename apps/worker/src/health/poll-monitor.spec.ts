import { describe, expect, it } from '@jest/globals';
import { PollMonitor } from './poll-monitor.js';

function monitorAt(): { monitor: PollMonitor; clock: { now: number } } {
  const clock = { now: 1_000 };
  return { monitor: new PollMonitor({ stallAfterMs: 100 }, () => clock.now), clock };
}

describe(PollMonitor.name, () => {
  it('is live but not ready before the loop starts', () => {
    const { monitor } = monitorAt();
    expect(monitor.health()).toEqual({
      live: true,
      ready: false,
      details: { consuming: false, msSinceReceive: undefined, msSinceSuccessfulReceive: undefined, stallAfterMs: 100 },
    });
  });

  it('gives a started loop one stall period to complete its first receive', () => {
    const { monitor, clock } = monitorAt();
    monitor.started();
    clock.now += 100;
    expect(monitor.health()).toMatchObject({ live: true, ready: true });
    clock.now += 1;
    expect(monitor.health()).toMatchObject({
      live: false,
      ready: false,
      details: { msSinceReceive: 101, msSinceSuccessfulReceive: 101 },
    });
  });

  it('stays live on failed receives but is not ready without a successful one', () => {
    const { monitor, clock } = monitorAt();
    monitor.started();
    monitor.receiveCompleted(true);
    for (let i = 0; i < 3; i++) {
      clock.now += 60;
      monitor.receiveCompleted(false);
    }
    expect(monitor.health()).toMatchObject({
      live: true,
      ready: false,
      details: { msSinceReceive: 0, msSinceSuccessfulReceive: 180 },
    });
    monitor.receiveCompleted(true);
    expect(monitor.health()).toMatchObject({ live: true, ready: true });
  });

  it('turns unlive when the loop stops completing receives (a stalled loop)', () => {
    const { monitor, clock } = monitorAt();
    monitor.started();
    monitor.receiveCompleted(true);
    clock.now += 100;
    expect(monitor.health().live).toBe(true);
    clock.now += 1;
    expect(monitor.health()).toMatchObject({ live: false, ready: false });
  });

  it('is not ready once stopping', () => {
    const { monitor } = monitorAt();
    monitor.started();
    monitor.receiveCompleted(true);
    monitor.stopped();
    expect(monitor.health()).toMatchObject({ live: true, ready: false, details: { consuming: false } });
  });
});
