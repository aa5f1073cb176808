import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { isJobErrorCode, JOB_ERROR_CATALOGUE, JOB_ERROR_CODES } from './job-errors.js';

describe('job error catalogue', () => {
  it('describes every code, and only those', () => {
    expect(Object.keys(JOB_ERROR_CATALOGUE).sort()).toEqual([...JOB_ERROR_CODES].sort());
    expect(isJobErrorCode('CONTENT_FILTERED')).toBe(true);
    expect(isJobErrorCode('SUBMISSION_FAILED')).toBe(false);
  });

  it('is listed in the README with the same retry advice', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    for (const code of JOB_ERROR_CODES) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
      expect(row).toBeDefined();
      expect(row).toContain(JOB_ERROR_CATALOGUE[code].retryable ? '| yes |' : '| no |');
    }
  });
});
