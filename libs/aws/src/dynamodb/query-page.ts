import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { rethrowAws } from '../errors/dependency.error.js';

export interface QueriedPage {
  /** At most `limit` items, in the query's order. */
  items: Record<string, unknown>[];
  /** More items follow the last one. */
  hasMore: boolean;
}

/**
 * One page of a query: reads one item more than `limit` to tell whether another page follows (so a page that only
 * fills `limit` has none), and keeps reading past DynamoDB's 1 MB per call until that extra item or the end.
 */
export async function queryPage(
  client: DynamoDBDocumentClient,
  query: Omit<QueryCommandInput, 'Limit' | 'ExclusiveStartKey'>,
  limit: number,
): Promise<QueriedPage> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  try {
    do {
      const result = await client.send(
        new QueryCommand({
          ...query,
          Limit: limit + 1 - items.length,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      items.push(...(result.Items ?? []));
      startKey = result.LastEvaluatedKey;
    } while (startKey && items.length <= limit);
  } catch (error) {
    return rethrowAws('DynamoDB', error);
  }
  return { items: items.slice(0, limit), hasMore: items.length > limit };
}
