export interface S3Location {
  bucket: string;
  key: string;
}

/** Parses `s3://bucket/key`; undefined when the URI names no object. */
export function tryParseS3Uri(uri: string): S3Location | undefined {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  return match?.[1] && match[2] ? { bucket: match[1], key: match[2] } : undefined;
}

/** Parses `s3://bucket/key` (what SageMaker puts in OutputLocation and notifications); throws when it is not one. */
export function parseS3Uri(uri: string): S3Location {
  const location = tryParseS3Uri(uri);
  if (!location) {
    throw new Error(`not an s3:// object URI: ${uri}`);
  }
  return location;
}

export function toS3Uri({ bucket, key }: S3Location): string {
  return `s3://${bucket}/${key}`;
}
