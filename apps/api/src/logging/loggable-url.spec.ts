import { describe, expect, it } from '@jest/globals';
import { loggableUrl } from './loggable-url.js';

describe('loggableUrl', () => {
  it('keeps a path and an ordinary query as they are', () => {
    expect(loggableUrl('/v1/jobs')).toBe('/v1/jobs');
    expect(loggableUrl('/v1/jobs?limit=10&status=QUEUED')).toBe('/v1/jobs?limit=10&status=QUEUED');
  });

  it('hides the values of parameters that carry credentials, whatever their case or encoding', () => {
    expect(loggableUrl('/v1/jobs?access_token=eyJ.abc.def&limit=5')).toBe('/v1/jobs?access_token=[redacted]&limit=5');
    expect(loggableUrl('/x?API_KEY=igk_live_1&X-Amz-Signature=abc&cursor=c1')).toBe(
      '/x?API_KEY=[redacted]&X-Amz-Signature=[redacted]&cursor=c1',
    );
    expect(loggableUrl('/x?%74oken=t')).toBe('/x?%74oken=[redacted]');
    expect(loggableUrl('/x?%E0%A4%A=1')).toBe('/x?%E0%A4%A=1');
  });
});
