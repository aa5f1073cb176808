import { Injectable } from '@nestjs/common';
import { JobRepository, UsageLedger } from '#libs/aws';
import { billingMonthOf, isFinalStatus, type Job } from '#libs/contracts';
import { estimateCost, ModelCatalog } from '#libs/models';
import type { AuthUser } from '../../auth/auth-user.js';
import { isAdmin } from '../../auth/roles.js';
import { ProblemException } from '../../problem/problem.js';
import { jobIdRangeOf } from './job-id-range.js';
import { toUsageExportRow, type UsageExportRow } from './usage-export.row.js';

/** Jobs per DynamoDB page: what the export holds in memory at a time, per user. */
export const EXPORT_JOBS_PAGE_SIZE = 100;
/** Users per page of the ledger's month partition, for an administrator's export of everyone. */
export const EXPORT_USERS_PAGE_SIZE = 100;

export interface UsageExportQuery {
  month?: string;
  owner?: string;
}

/**
 * An export about to be read. Nothing is read until the rows are: a failure before the first row reaches the answer
 * while no byte has been sent, and Fastify then answers with the error (503 for a dependency); after it, the answer
 * is cut off.
 */
export interface OpenedUsageExport {
  month: string;
  rows: AsyncIterable<UsageExportRow>;
}

/**
 * One row per job created in a month (UTC; the month rule of GET /v1/usage), read page by page from the jobs
 * table's owner index by the month's ULID range, so no more than a page is held at a time. The caller's own jobs;
 * an administrator's export covers every user with usage that month (from the usage ledger), or `owner`'s.
 */
@Injectable()
export class UsageExportService {
  constructor(
    private readonly jobs: JobRepository,
    private readonly ledger: UsageLedger,
    private readonly catalog: ModelCatalog,
  ) {}

  /** Checks who may export what (403 for `owner` unless an administrator), and the month (default: this one). */
  open(user: AuthUser, query: UsageExportQuery): OpenedUsageExport {
    if (query.owner !== undefined && !isAdmin(user)) {
      throw ProblemException.forbidden('Only administrators may export other users’ usage', [
        { field: 'owner', message: 'owner is for administrators only; leave it out to export your own usage' },
      ]);
    }
    const month = query.month ?? billingMonthOf(new Date());
    const owners = query.owner !== undefined ? [query.owner] : isAdmin(user) ? this.usersOf(month) : [user.id];
    return { month, rows: this.rowsOf(owners, month) };
  }

  private async *rowsOf(
    owners: AsyncIterable<string> | Iterable<string>,
    month: string,
  ): AsyncGenerator<UsageExportRow> {
    const range = jobIdRangeOf(month);
    for await (const ownerId of owners) {
      for await (const page of this.jobs.pagesByOwnerBetween(ownerId, { ...range, pageSize: EXPORT_JOBS_PAGE_SIZE })) {
        for (const job of page) {
          // the id range reaches past the month's edges: the month is the one createdAt falls in
          if (billingMonthOf(job.createdAt) === month) {
            yield toUsageExportRow(job, this.reservedMicros(job));
          }
        }
      }
    }
  }

  /** Every user with usage in the month, in owner-id order, a ledger page at a time. */
  private async *usersOf(month: string): AsyncGenerator<string> {
    let after: string | undefined;
    do {
      const page = await this.ledger.listUsers(month, {
        limit: EXPORT_USERS_PAGE_SIZE,
        ...(after !== undefined ? { after } : {}),
      });
      for (const record of page.users) {
        if (record.scope.kind === 'user') {
          yield record.scope.ownerId;
        }
      }
      after = page.nextAfter;
    } while (after !== undefined);
  }

  /** What a final job without a recorded cost was charged: its estimate, which its submission reserved. */
  private reservedMicros(job: Job): number | undefined {
    if (!isFinalStatus(job.status) || job.cost) {
      return undefined;
    }
    const model = this.catalog.find(job.params.modelId);
    return model ? estimateCost(model, job.params).micros : undefined;
  }
}
