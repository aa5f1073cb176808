import { describe, expect, it } from '@jest/globals';
import { parseS3Uri, toS3Uri, tryParseS3Uri } from './s3-uri.js';

describe('s3 URIs', () => {
  it('parses an object URI into bucket and key', () => {
    expect(parseS3Uri('s3://outputs/async-out/5f1c.out')).toEqual({ bucket: 'outputs', key: 'async-out/5f1c.out' });
    expect(toS3Uri({ bucket: 'b', key: 'k/x.out' })).toBe('s3://b/k/x.out');
  });

  it.each(['s3://bucket', 's3://bucket/', 'https://bucket/a', 's3:///a', ''])(
    'does not take %j for an object',
    (uri) => {
      expect(tryParseS3Uri(uri)).toBeUndefined();
      expect(() => parseS3Uri(uri)).toThrow(/not an s3:\/\/ object URI/);
    },
  );
});
