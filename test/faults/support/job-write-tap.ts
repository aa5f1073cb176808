import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ACTIVE_JOB_STATUSES, type JobStatus } from '#libs/contracts';

type WireValue = { S?: string; N?: string };
type WireItem = Record<string, WireValue | undefined>;

interface UpdateItemRequest {
  TableName?: string;
  Key?: WireItem;
  UpdateExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, WireValue>;
}

const isActive = (status: string | undefined): boolean => ACTIVE_JOB_STATUSES.includes(status as JobStatus);

/** The status an UpdateItem sets (`SET #s = :v` where `#s` names `status`), if it sets one. */
function assignedStatus(update: UpdateItemRequest): string | undefined {
  const names = Object.entries(update.ExpressionAttributeNames ?? {})
    .filter(([, attribute]) => attribute === 'status')
    .map(([name]) => name);
  for (const name of ['status', ...names]) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const value = new RegExp(`(?:^|[\\s,])${escaped}\\s*=\\s*(:\\w+)`).exec(update.UpdateExpression ?? '')?.[1];
    if (value) {
      return update.ExpressionAttributeValues?.[value]?.S;
    }
  }
  return undefined;
}

/**
 * A pass-through HTTP proxy in front of dynalite that watches every job write of every process (api, workers) on
 * the wire, without touching product code. Every job write is one UpdateItem (JobRepository.updateWhileIn) that
 * returns the job (ALL_NEW) or what it wrote (UPDATED_NEW), the status among it whenever the write set one: one that
 * succeeded and set a final status is a finalization, whatever its condition, so a job finalized twice shows up as
 * two even if a condition is weakened; a job that left a final state again (a later successful write showing it
 * active) is a regression.
 */
export class JobWriteTap {
  private readonly finalized = new Map<string, number>();
  private readonly seenFinal = new Set<string>();
  private readonly regressed = new Set<string>();
  private readonly agent = new http.Agent({ keepAlive: true });

  private constructor(
    private readonly server: http.Server,
    private readonly jobsTable: string,
  ) {}

  /** Listens on a free loopback port and forwards to `upstreamPort` on 127.0.0.1. */
  static async start(upstreamPort: number, jobsTable: string): Promise<JobWriteTap> {
    const server = http.createServer();
    const tap = new JobWriteTap(server, jobsTable);
    server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) =>
      tap.forward(request, response, upstreamPort),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return tap;
  }

  /** Point AWS_ENDPOINT_URL_DYNAMODB here. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Finalizations seen for one job. */
  finalizations(jobId: string): number {
    return this.finalized.get(jobId) ?? 0;
  }

  /** Jobs seen finalized more than once. */
  finalizedTwice(jobIds: readonly string[]): string[] {
    return jobIds.filter((jobId) => this.finalizations(jobId) > 1);
  }

  /** Jobs written back to an active state after a final one. */
  get regressions(): string[] {
    return [...this.regressed];
  }

  /** All finalizations seen so far. */
  get total(): number {
    return [...this.finalized.values()].reduce((sum, count) => sum + count, 0);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    this.agent.destroy();
  }

  private forward(request: http.IncomingMessage, response: http.ServerResponse, upstreamPort: number): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const upstream = http.request(
        {
          host: '127.0.0.1',
          port: upstreamPort,
          method: request.method,
          path: request.url,
          headers: request.headers,
          agent: this.agent,
        },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            const answered = Buffer.concat(parts);
            response.writeHead(answer.statusCode ?? 500, answer.headers);
            response.end(answered);
            if (answer.statusCode === 200) {
              this.observe(request.headers['x-amz-target'], body, answered);
            }
          });
          answer.on('error', () => response.destroy());
        },
      );
      // dynalite down (killed, restarting): the client sees a dropped connection, as it would without the tap
      upstream.on('error', () => response.destroy());
      upstream.end(body);
    });
  }

  private observe(target: string | string[] | undefined, body: Buffer, answered: Buffer): void {
    if (target !== 'DynamoDB_20120810.UpdateItem') {
      return;
    }
    const update = JSON.parse(body.toString('utf8')) as UpdateItemRequest;
    if (update.TableName !== this.jobsTable) {
      return;
    }
    const item = (JSON.parse(answered.toString('utf8')) as { Attributes?: WireItem }).Attributes;
    const jobId = update.Key?.jobId?.S;
    const status = item?.status?.S;
    if (!jobId || !status) {
      return;
    }
    if (isActive(status)) {
      if (this.seenFinal.has(jobId)) {
        this.regressed.add(jobId);
      }
      return;
    }
    this.seenFinal.add(jobId);
    const assigned = assignedStatus(update);
    if (assigned !== undefined && !isActive(assigned)) {
      this.finalized.set(jobId, this.finalizations(jobId) + 1);
    }
  }
}
