export interface S3Location {
  bucket: string;
  key: string;
}

// SageMaker's InputLocation / S3OutputPath pattern is `^(https|s3)://([^/]+)/?(.*)$`; the stub reads s3:// only.
const S3_URI_PATTERN = /^s3:\/\/([^/]+)\/?(.*)$/;

/** Parses `s3://bucket/key`; returns undefined when it is not one (or has no bucket). */
export function parseS3Uri(uri: string): S3Location | undefined {
  const match = S3_URI_PATTERN.exec(uri);
  if (!match?.[1]) {
    return undefined;
  }
  return { bucket: match[1], key: match[2] ?? '' };
}

export function formatS3Uri(location: S3Location): string {
  return `s3://${location.bucket}/${location.key}`;
}

/** `s3://bucket/prefix` → `s3://bucket/prefix/` (SageMaker puts objects under the configured path). */
export function withTrailingSlash(uri: string): string {
  return uri.endsWith('/') ? uri : `${uri}/`;
}
