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

/** An export whose first row (or its end) has been read, so that the answer can start. */
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

  /**
   * Checks who may export what (403 for `owner` unless an administrator) and reads up to the first row, so that a
   * dependency failing before the answer has started is an error answer (503) with none of the export's headers,
   * rather than a cut-short export.
   */
  async open(user: AuthUser, query: UsageExportQuery): Promise<OpenedUsageExport> {
    if (query.owner !== undefined && !isAdmin(user)) {
      throw ProblemException.forbidden('Only administrators may export other users’ usage', [
        { field: 'owner', message: 'owner is for administrators only; leave it out to export your own usage' },
      ]);
    }
    const month = query.month ?? billingMonthOf(new Date());
    const owners = query.owner !== undefined ? [query.owner] : isAdmin(user) ? this.usersOf(month) : [user.id];
    const iterator = this.rowsOf(owners, month)[Symbol.asyncIterator]();
    const first = await iterator.next();
    return { month, rows: resume(first, iterator) };
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

/** The rest of an iteration whose first result has been taken; stopping early stops the source too. */
async function* resume<T>(first: IteratorResult<T>, rest: AsyncIterator<T>): AsyncGenerator<T> {
  if (first.done) {
    return;
  }
  try {
    yield first.value;
    for (let next = await rest.next(); !next.done; next = await rest.next()) {
      yield next.value;
    }
  } finally {
    await rest.return?.();
  }
}
