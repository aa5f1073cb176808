export interface S3Location {
  bucket: string;
  key: string;
}

/** Parses `s3://bucket/key` (what SageMaker puts in OutputLocation and notifications). */
export function parseS3Uri(uri: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match?.[1] || !match[2]) {
    throw new Error(`not an s3:// object URI: ${uri}`);
  }
  return { bucket: match[1], key: match[2] };
}

export function toS3Uri({ bucket, key }: S3Location): string {
  return `s3://${bucket}/${key}`;
}
