import { describe, expect, it } from '@jest/globals';
import { type Job, JobStatus } from '#libs/contracts';
import { type JobFinalListener, reportFinal } from './job-final-listener.js';

const job = { jobId: '01J0000000000000000000000A', status: JobStatus.Succeeded } as Job;

/** A listener that records when it started and finished, and waits for `release` in between. */
function recording(name: string, log: string[], options: { fails?: boolean; afterOthers?: boolean } = {}) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const listener: JobFinalListener = {
    afterOthers: options.afterOthers ?? false,
    async jobFinal() {
      log.push(`${name} started`);
      await released;
      log.push(`${name} done`);
      if (options.fails) {
        throw new Error(`${name} failed`);
      }
    },
  };
  return { listener, release };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('reportFinal', () => {
  it('tells the listeners side by side, and the afterOthers ones once all the others are done', async () => {
    const log: string[] = [];
    const slots = recording('slots', log);
    const usage = recording('usage', log);
    const settled = recording('settled', log, { afterOthers: true });
    const report = reportFinal([slots.listener, settled.listener, usage.listener], job);
    await tick();
    expect(log).toEqual(['slots started', 'usage started']);
    usage.release();
    await tick();
    expect(log).not.toContain('settled started');
    slots.release();
    settled.release();
    await report;
    expect(log).toEqual([
      'slots started',
      'usage started',
      'usage done',
      'slots done',
      'settled started',
      'settled done',
    ]);
  });

  it('lets every listener finish, then throws the failure, and the afterOthers ones are not told', async () => {
    const log: string[] = [];
    const webhooks = recording('webhooks', log, { fails: true });
    const usage = recording('usage', log);
    const settled = recording('settled', log, { afterOthers: true });
    const report = reportFinal([webhooks.listener, usage.listener, settled.listener], job);
    webhooks.release();
    await tick();
    expect(log).not.toContain('usage done');
    usage.release();
    settled.release();
    await expect(report).rejects.toThrow('webhooks failed');
    expect(log).toContain('usage done');
    expect(log).not.toContain('settled started');
  });
});
