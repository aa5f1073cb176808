import type { UsageLedger, UsageTotalScope } from '#libs/aws';
import { billingMonthOf, type Job, usdToMicros } from '#libs/contracts';
import { allOrFirstError, type JobFinalListener } from './job-final-listener.js';

/**
 * Books a final job in the month it was created: its API key's item (when a key submitted it), its user's item and
 * the platform's shard that holds it (the one the job recorded, else found among all). Each settlement replaces the
 * job's hold by its real cost exactly once (a duplicate report finds no hold), so the report may repeat.
 * A job without a recorded cost (timed out or canceled before SageMaker reported) is charged what it reserved.
 */
export class UsageSettlement implements JobFinalListener {
  constructor(private readonly ledger: Pick<UsageLedger, 'settle'>) {}

  async jobFinal(job: Job): Promise<void> {
    const month = billingMonthOf(job.createdAt);
    const actual = job.cost
      ? { gpuMs: Math.round(job.cost.gpuSeconds * 1000), costMicros: usdToMicros(job.cost.usd) }
      : undefined;
    const scopes: UsageTotalScope[] = [
      ...(job.apiKeyId ? [{ kind: 'key' as const, ownerId: job.ownerId, keyId: job.apiKeyId }] : []),
      { kind: 'user', ownerId: job.ownerId },
      job.usageShard === undefined ? { kind: 'platform' } : { kind: 'platform', shard: job.usageShard },
    ];
    // one item per scope: settled side by side
    await allOrFirstError(
      scopes.map((scope) =>
        this.ledger.settle({ month, scope }, job.jobId, { status: job.status, ...(actual ? { actual } : {}) }),
      ),
    );
  }
}
