import { describe, expect, it } from '@jest/globals';
import { loadJobWaitConfig } from './wait.config.js';

describe('loadJobWaitConfig', () => {
  it('holds a request 25 s at most by default, and never with 0', () => {
    expect(loadJobWaitConfig({})).toEqual({ maxSeconds: 25 });
    expect(loadJobWaitConfig({ JOBS_MAX_WAIT_SECONDS: '0' })).toEqual({ maxSeconds: 0 });
    expect(loadJobWaitConfig({ JOBS_MAX_WAIT_SECONDS: '55' })).toEqual({ maxSeconds: 55 });
  });

  it.each(['56', '600', '-1', '2.5', 'soon'])(
    'refuses JOBS_MAX_WAIT_SECONDS=%s at start-up: a wait must end before the load balancer cuts the connection',
    (value) => {
      expect(() => loadJobWaitConfig({ JOBS_MAX_WAIT_SECONDS: value })).toThrow(/JOBS_MAX_WAIT_SECONDS/);
    },
  );
});
