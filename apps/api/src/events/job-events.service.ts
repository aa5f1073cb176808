import { type BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { type JobChange, JobRepository, StreamLeases } from '#libs/aws';
import { isFinalStatus, type Job, JobStatus } from '#libs/contracts';
import type { AuthUser } from '../auth/auth-user.js';
import { API_CONFIG, type ApiConfig } from '../config/api.config.js';
import { JobViewMapper } from '../jobs/job-view.mapper.js';
import { JobsService } from '../jobs/jobs.service.js';
import { ProblemException, ProblemType } from '../problem/problem.js';
import { PolicyName } from '../limits/limit-policies.js';
import { JobWatchHub } from './job-watch-hub.js';
import { SseStream } from './sse-stream.js';
import { compareCursors, cursorOf, parseUserEventId, type UserEventCursor, userEventId } from './user-event-id.js';
import { platformMetrics } from '#libs/observability';

/** The per-user stream reads at most this many changed jobs per poll (then reads on at once). */
const USER_POLL_PAGE = 100;
/** A stream's slot is leased for this many heartbeats, renewed at each one. */
const LEASE_HEARTBEATS = 3;
/** On connect without Last-Event-ID the per-user stream first sends the caller's unfinished jobs, this many each. */
const ACTIVE_SNAPSHOT_LIMIT = 100;

/**
 * Server-sent events of jobs, for any number of api instances: every instance reads DynamoDB itself (a watched
 * job's item, or a user's recently written jobs through the byOwnerUpdated index), so a change made through any
 * instance or by the worker reaches every stream. Open streams are bounded per user across all instances (leases in
 * DynamoDB), and all end when the api shuts down.
 */
@Injectable()
export class JobEventsService implements BeforeApplicationShutdown {
  private readonly streams = new Set<SseStream>();

  constructor(
    private readonly jobs: JobRepository,
    private readonly jobsService: JobsService,
    private readonly views: JobViewMapper,
    private readonly logger: PinoLogger,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly hub: JobWatchHub,
    private readonly leases: StreamLeases,
  ) {
    this.logger.setContext(JobEventsService.name);
  }

  /**
   * One job's stream: its state now (unless Last-Event-ID already has it), then every new version, ending after
   * a final state. `id` is the job's version.
   */
  async openJobStream(user: AuthUser, jobId: string, lastEventId: string | undefined): Promise<Readable> {
    const resumeAfter = parseJobEventId(lastEventId);
    const job = await this.jobsService.get(user, jobId);
    if (resumeAfter > (job.version ?? 1)) {
      // versions only grow: a later one was never sent, and resuming after it would skip the versions up to it
      throw invalidLastEventId(`a version this job has had (at most ${job.version ?? 1})`);
    }
    const stream = await this.openStream(user);
    let sent = resumeAfter;
    let chain = Promise.resolve();
    const deliver = (current: Job | undefined): void => {
      chain = chain
        .then(async () => {
          if (!stream.isOpen) {
            return;
          }
          if (!current) {
            stream.end();
            return;
          }
          const version = current.version ?? 1;
          if (version > sent) {
            const view = await this.views.view(current);
            if (!stream.isOpen) {
              return;
            }
            sent = version;
            stream.send({ id: String(version), event: 'job', data: view });
          }
          if (isFinalStatus(current.status)) {
            stream.end();
          }
        })
        .catch((error: unknown) => {
          this.logger.warn({ err: error, jobId }, 'could not send a job event; the stream ends');
          stream.end();
        });
    };
    deliver(job);
    if (!isFinalStatus(job.status)) {
      const unwatch = this.hub.watch(jobId, deliver);
      stream.closed(unwatch);
    }
    return stream.body;
  }

  /**
   * All of the caller's jobs: without Last-Event-ID first their unfinished jobs, then every change from now on;
   * with it, every change after that event. Never ends by itself.
   */
  async openUserStream(user: AuthUser, lastEventId: string | undefined): Promise<Readable> {
    const resume = lastEventId === undefined ? undefined : parseUserEventId(lastEventId);
    if (lastEventId !== undefined && !resume) {
      throw invalidLastEventId('<updatedAt>|<jobId>|<version> as sent in an event of this stream');
    }
    if (resume && Date.parse(resume.updatedAt) > Date.now() + this.config.events.lookbackMs) {
      // no change is stamped in the future (beyond the writers' clock skew): resuming there would skip every change
      // until then
      throw invalidLastEventId('the id of a change already made, as sent in an event of this stream');
    }
    const stream = await this.openStream(user);
    const connectedAt = Date.now();
    const sentVersions = new Map<string, { version: number; updatedAt: string }>();
    let last: UserEventCursor | undefined = resume;
    let since = resume ? resume.updatedAt : new Date(connectedAt - this.config.events.lookbackMs).toISOString();

    const send = async (changes: JobChange[]): Promise<void> => {
      for (const change of [...changes].sort((a, b) => compareCursors(cursorOf(a), cursorOf(b)))) {
        const cursor = cursorOf(change);
        const already = sentVersions.get(cursor.jobId);
        if ((already && already.version >= cursor.version) || (resume && compareCursors(cursor, resume) <= 0)) {
          continue;
        }
        const event = change.job
          ? { event: 'job', data: await this.views.view(change.job) }
          : { event: 'deleted', data: { jobId: change.deletion.jobId, deletedAt: change.deletion.deletedAt } };
        if (!stream.isOpen) {
          return;
        }
        // ids only move forward: a change stamped before the last one sent carries the last id again
        if (!last || compareCursors(cursor, last) > 0) {
          last = cursor;
        }
        sentVersions.set(cursor.jobId, { version: cursor.version, updatedAt: cursor.updatedAt });
        stream.send({ id: userEventId(last), ...event });
      }
    };

    const poll = async (): Promise<void> => {
      try {
        const lookbackFrom = new Date(Date.parse(since) - this.config.events.lookbackMs).toISOString();
        const page = await this.jobs.updatedSince(user.id, lookbackFrom, USER_POLL_PAGE);
        await send(page.changes);
        const newest = newestStamp(page.changes);
        if (newest && newest > since) {
          since = newest;
        }
        forgetOlderThan(sentVersions, new Date(Date.parse(since) - 2 * this.config.events.lookbackMs).toISOString());
        if (page.hasMore && stream.isOpen) {
          // a burst of changes: read on from the newest one at once (no lookback within a burst)
          const more = await this.jobs.updatedSince(user.id, since, USER_POLL_PAGE);
          await send(more.changes);
          since = newestStamp(more.changes) ?? since;
        }
      } catch (error) {
        this.logger.warn({ err: error }, 'could not read the user’s changed jobs; trying again at the next poll');
      }
    };

    let timer: NodeJS.Timeout | undefined;
    const loop = async (): Promise<void> => {
      await poll();
      if (stream.isOpen) {
        timer = setTimeout(() => void loop(), this.config.events.pollMs);
      }
    };
    stream.closed(() => clearTimeout(timer));

    if (!resume) {
      try {
        const active = await Promise.all(
          [JobStatus.Queued, JobStatus.Running].map((status) =>
            this.jobs.listByOwner(user.id, { limit: ACTIVE_SNAPSHOT_LIMIT, status }),
          ),
        );
        await send(active.flatMap((page) => page.jobs.map((job) => ({ job }))));
      } catch (error) {
        stream.end();
        throw error;
      }
    }
    timer = setTimeout(() => void loop(), this.config.events.pollMs);
    return stream.body;
  }

  /** Ends every open stream (clients reconnect to another instance with Last-Event-ID). */
  beforeApplicationShutdown(): void {
    for (const stream of [...this.streams]) {
      stream.end();
    }
  }

  /**
   * Takes one of the user's stream slots, counted across every api instance (429 when none is free), and starts the
   * heartbeat, which also renews the slot's lease: a slot whose instance died is free again after three heartbeats.
   */
  private async openStream(user: AuthUser): Promise<SseStream> {
    const { maxStreamsPerUser, heartbeatMs } = this.config.events;
    const streamId = randomUUID();
    const leaseMs = LEASE_HEARTBEATS * heartbeatMs;
    if (!(await this.leases.acquire(user.id, streamId, maxStreamsPerUser, leaseMs))) {
      throw ProblemException.tooManyRequests(
        ProblemType.QuotaExceeded,
        `You already have ${maxStreamsPerUser} open event streams; close one first.`,
        [PolicyName.OpenStreams],
        heartbeatMs / 1000,
      );
    }
    const stream = new SseStream();
    this.streams.add(stream);
    platformMetrics.eventStreamsOpen.inc();
    // the answer's headers go out with its first bytes: without them the client waits for the first heartbeat
    stream.comment('open');
    const heartbeat = setInterval(() => {
      stream.comment('heartbeat');
      this.leases.renew(user.id, streamId, leaseMs).catch((error: unknown) => {
        this.logger.warn({ err: error }, 'could not renew an event stream’s lease; trying again at the next heartbeat');
      });
    }, heartbeatMs);
    stream.closed(() => {
      clearInterval(heartbeat);
      this.streams.delete(stream);
      platformMetrics.eventStreamsOpen.dec();
      this.leases.release(user.id, streamId).catch((error: unknown) => {
        this.logger.warn({ err: error }, 'could not give back an event stream’s lease; it runs out by itself');
      });
    });
    return stream;
  }
}

/** The stamp of the last of a page of changes (they come oldest first). */
function newestStamp(changes: JobChange[]): string | undefined {
  const newest = changes.at(-1);
  return newest && cursorOf(newest).updatedAt;
}

function forgetOlderThan(sent: Map<string, { updatedAt: string }>, before: string): void {
  for (const [jobId, entry] of sent) {
    if (entry.updatedAt < before) {
      sent.delete(jobId);
    }
  }
}

/** A job stream's Last-Event-ID is a version: a whole number. */
function parseJobEventId(text: string | undefined): number {
  if (text === undefined) {
    return 0;
  }
  if (!/^\d{1,12}$/.test(text.trim())) {
    throw invalidLastEventId('a version number as sent in an event of this stream');
  }
  return Number(text.trim());
}

function invalidLastEventId(expected: string): ProblemException {
  return ProblemException.validation(
    [{ field: 'Last-Event-ID', message: `must be ${expected}` }],
    'Last-Event-ID is not an id of this stream.',
  );
}
