import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { RequireScope } from '../auth/scopes.js';
import { ApiProblemResponses } from '../problem/api-problem-responses.decorator.js';
import { JobEventsService } from './job-events.service.js';
import { EVENT_STREAM_MEDIA_TYPE } from './sse-stream.js';

const LAST_EVENT_ID_HEADER = {
  name: 'Last-Event-ID',
  required: false,
  description:
    'Resume after this event: the `id` of the last event received (browsers send it when they reconnect). An id the ' +
    'stream cannot have sent (not of its form, a version the job has not reached, a change dated in the future) is ' +
    'a 400.',
};

const STREAM_HEADERS = {
  'Cache-Control': { description: '`no-cache`: never stored', schema: { type: 'string', example: 'no-cache' } },
  'X-Accel-Buffering': {
    description: '`no`: proxies (nginx) pass each event on at once',
    schema: { type: 'string', example: 'no' },
  },
};

const EVENT_FORMAT =
  'Each event is `event: job` with `data:` the job as GET /v1/jobs/{jobId} answers it (one line of JSON). A comment ' +
  'line (`: heartbeat`) comes every EVENTS_HEARTBEAT_MS (15 s) on an otherwise quiet stream. Every api instance ' +
  'reads DynamoDB itself (every EVENTS_POLL_MS, 1 s), so the stream sees changes made anywhere, not only through ' +
  'the instance it is connected to. At most EVENTS_MAX_STREAMS_PER_USER (5) streams per user are open, on all api ' +
  'instances together: one more is a 429 (`violated-policies: ["open-streams"]`). Streams end when the api shuts ' +
  'down: reconnect with Last-Event-ID.';

/** Server-sent events of jobs (thin: JobEventsService does the work). */

/** The 200 of an event stream route: text/event-stream with its headers, and an example event. */
function ApiEventStreamResponse(example: string): MethodDecorator {
  return ApiResponse({
    status: 200,
    description: 'The event stream',
    headers: STREAM_HEADERS,
    content: { [EVENT_STREAM_MEDIA_TYPE]: { schema: { type: 'string' }, example } },
  });
}

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('v1/jobs')
export class EventsController {
  constructor(private readonly events: JobEventsService) {}

  @Get('events')
  @RequireScope('jobs:read')
  @ApiOperation({
    operationId: 'streamMyJobEvents',
    summary: 'Live events of all your jobs (Server-Sent Events)',
    description:
      'On connect, your unfinished jobs (QUEUED, RUNNING); then an event on every change of any of your jobs, in ' +
      'the order they were written, for as long as the connection stays open. `id` is ' +
      '`<updatedAt>|<jobId>|<version>` of the change: with it as Last-Event-ID, the stream resumes after that change ' +
      '(no unfinished-jobs snapshot first). ' +
      EVENT_FORMAT +
      ' A deleted job (deleted from any client) ends with one more event: `event: deleted`, `data:` ' +
      '`{"jobId": …, "deletedAt": …}`, its id stamped with `deletedAt`.',
  })
  @ApiHeader(LAST_EVENT_ID_HEADER)
  @ApiEventStreamResponse(
    'id: 2026-11-26T12:00:01.250Z|01JD0000000000000000000000|3\nevent: job\ndata: {"jobId":"01JD0000000000000000000000","status":"RUNNING",…}\n\n',
  )
  @ApiProblemResponses(400, 401, 403, 429, 503)
  async streamMine(
    @CurrentUser() user: AuthUser,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Readable> {
    const body = await this.events.openUserStream(user, lastEventId);
    return streamed(reply, body);
  }

  @Get(':jobId/events')
  @RequireScope('jobs:read')
  @ApiOperation({
    operationId: 'streamJobEvents',
    summary: 'Live events of one job (Server-Sent Events)',
    description:
      'The job’s state on connect, then an event on every change (queued → running → steps → final); the stream ' +
      'ends after a final state. `id` is the job’s version (1 at creation, +1 on every write): with ' +
      'Last-Event-ID the stream sends only versions after it, so a reconnect has no repeats, and no gaps in state ' +
      '(each event holds the whole job; versions written between two polls are folded into the newest). ' +
      EVENT_FORMAT,
  })
  @ApiParam({ name: 'jobId', example: '01JD0000000000000000000000' })
  @ApiHeader(LAST_EVENT_ID_HEADER)
  @ApiEventStreamResponse('id: 1\nevent: job\ndata: {"jobId":"01JD0000000000000000000000","status":"QUEUED",…}\n\n')
  @ApiProblemResponses(400, 401, 403, 404, 429, 503)
  async streamJob(
    @CurrentUser() user: AuthUser,
    @Param('jobId') jobId: string,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Readable> {
    const body = await this.events.openJobStream(user, jobId, lastEventId);
    return streamed(reply, body);
  }
}

function streamed(reply: FastifyReply, body: Readable): Readable {
  void reply
    .type(`${EVENT_STREAM_MEDIA_TYPE}; charset=utf-8`)
    .header('cache-control', 'no-cache')
    .header('x-accel-buffering', 'no')
    // the connection ends with the stream: no idle keep-alive connection is left to hold a shutdown open
    .header('connection', 'close');
  return body;
}
