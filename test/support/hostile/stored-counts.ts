import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createDynamoDbClient, createS3Client } from '#libs/aws';
import { type Env, loadAwsConfig, loadResourcesConfig } from '#libs/config';

/** Items per table and objects per bucket, by name. */
export type StoredCounts = Record<string, number>;

/**
 * Counts what the platform has stored: the items of the jobs and accounts tables and the objects of every bucket,
 * read through the real SDK clients (Scan, ListObjectsV2), every page. The rate-limits table is left out: a refused
 * request still counts against its caller's rate, by design.
 */
export async function countStored(env: Env): Promise<StoredCounts> {
  const aws = loadAwsConfig(env);
  const resources = loadResourcesConfig(env);
  const dynamodb = createDynamoDbClient(aws);
  const s3 = createS3Client(aws);
  const counts: StoredCounts = {};
  try {
    for (const table of [resources.jobsTable, resources.accountsTable]) {
      let count = 0;
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await dynamodb.send(
          new ScanCommand({
            TableName: table,
            Select: 'COUNT',
            ...(startKey ? { ExclusiveStartKey: startKey as never } : {}),
          }),
        );
        count += page.Count ?? 0;
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      counts[`table ${table}`] = count;
    }
    for (const bucket of [resources.requestsBucket, resources.outputsBucket, resources.imagesBucket]) {
      let count = 0;
      let token: string | undefined;
      do {
        const page = await s3.send(
          new ListObjectsV2Command({ Bucket: bucket, ...(token ? { ContinuationToken: token } : {}) }),
        );
        count += page.KeyCount ?? 0;
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      counts[`bucket ${bucket}`] = count;
    }
  } finally {
    dynamodb.destroy();
    s3.destroy();
  }
  return counts;
}
