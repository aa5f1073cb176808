import { formatS3Uri, parseS3Uri, withTrailingSlash } from './s3-uri.js';

describe('s3 URIs', () => {
  it('parses bucket and key', () => {
    expect(parseS3Uri('s3://bucket/a/b.json')).toEqual({ bucket: 'bucket', key: 'a/b.json' });
    expect(parseS3Uri('s3://bucket')).toEqual({ bucket: 'bucket', key: '' });
    expect(parseS3Uri('https://bucket/a')).toBeUndefined();
    expect(parseS3Uri('s3:///a')).toBeUndefined();
  });

  it('formats and normalizes', () => {
    expect(formatS3Uri({ bucket: 'b', key: 'k/x.out' })).toBe('s3://b/k/x.out');
    expect(withTrailingSlash('s3://b/out')).toBe('s3://b/out/');
    expect(withTrailingSlash('s3://b/out/')).toBe('s3://b/out/');
  });
});
