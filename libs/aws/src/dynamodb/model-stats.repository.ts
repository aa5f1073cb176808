import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { rethrowAws } from '../errors/dependency.error.js';

/**
 * What the platform has observed of one model, for ETAs: exponentially weighted averages of its inference time
 * relative to the catalog's estimate for the job's size (`inferenceFactor`: observed / estimated, where observed is
 * started → output written, or SageMaker's own span when the model does not report its start; a ratio, so jobs of
 * different sizes teach the same figure) and of its cold start in ms (an endpoint at zero instances until the job
 * starts). One item of the accounts table per model:
 * `pk` = `modelstats#<modelId>`, `sk` = `stats`. Read with one GetItem, updated with one conditional PutItem.
 */
export interface ModelStats {
  modelId: string;
  inferenceFactor?: number;
  inferenceSamples: number;
  coldStartMs?: number;
  coldStartSamples: number;
}

export type ModelStatsSample = 'inference' | 'coldStart';

/** Weight of a new sample once there are enough: recent runs count most, one outlier moves the average a fifth. */
export const STATS_SMOOTHING = 0.2;
const MAX_ATTEMPTS = 3;

/** The average after one more sample: the plain mean for the first few, then an exponentially weighted one. */
export function smoothed(average: number | undefined, samples: number, sample: number): number {
  if (average === undefined || samples === 0) {
    return sample;
  }
  const weight = Math.max(STATS_SMOOTHING, 1 / (samples + 1));
  return average + weight * (sample - average);
}

const keyOf = (modelId: string) => ({ pk: `modelstats#${modelId}`, sk: 'stats' });

export class ModelStatsRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(modelId: string): Promise<ModelStats> {
    try {
      const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keyOf(modelId) }));
      return toStats(modelId, result.Item);
    } catch (error) {
      return rethrowAws('DynamoDB', error);
    }
  }

  /**
   * Adds one observation. Optimistic: the write holds only if nobody wrote since the read (the sample count is the
   * guard); a few tries, then the sample is dropped (an average loses nothing from a missing sample).
   */
  async record(modelId: string, kind: ModelStatsSample, sample: number): Promise<ModelStats | undefined> {
    const [averageField, samplesField] =
      kind === 'inference'
        ? (['inferenceFactor', 'inferenceSamples'] as const)
        : (['coldStartMs', 'coldStartSamples'] as const);
    // a factor keeps three decimals, milliseconds none
    const precision = kind === 'inference' ? 1000 : 1;
    try {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
        const result = await this.client.send(
          new GetCommand({ TableName: this.tableName, Key: keyOf(modelId), ConsistentRead: true }),
        );
        const current = toStats(modelId, result.Item);
        const next: ModelStats = {
          ...current,
          [averageField]:
            Math.round(smoothed(current[averageField], current[samplesField], sample) * precision) / precision,
          [samplesField]: current[samplesField] + 1,
        };
        try {
          await this.client.send(
            new PutCommand({
              TableName: this.tableName,
              Item: { ...keyOf(modelId), ...next },
              ...(!result.Item
                ? { ConditionExpression: 'attribute_not_exists(pk)' }
                : result.Item[samplesField] === undefined
                  ? {
                      ConditionExpression: 'attribute_not_exists(#samples)',
                      ExpressionAttributeNames: { '#samples': samplesField },
                    }
                  : {
                      ConditionExpression: '#samples = :samples',
                      ExpressionAttributeNames: { '#samples': samplesField },
                      ExpressionAttributeValues: { ':samples': result.Item[samplesField] as number },
                    }),
            }),
          );
          return next;
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) {
            throw error;
          }
        }
      }
      return undefined;
    } catch (error) {
      return rethrowAws('DynamoDB', error);
    }
  }
}

function toStats(modelId: string, item: Record<string, unknown> | undefined): ModelStats {
  const number = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
  const inferenceFactor = number(item?.inferenceFactor);
  const coldStartMs = number(item?.coldStartMs);
  return {
    modelId,
    ...(inferenceFactor !== undefined ? { inferenceFactor } : {}),
    inferenceSamples: number(item?.inferenceSamples) ?? 0,
    ...(coldStartMs !== undefined ? { coldStartMs } : {}),
    coldStartSamples: number(item?.coldStartSamples) ?? 0,
  };
}
