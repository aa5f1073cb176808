// Generated from openapi.json by openapi-typescript (npm run openapi:write). Do not edit.

export interface paths {
  '/v1/jobs/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Live events of all your jobs (Server-Sent Events)
     * @description On connect, your unfinished jobs (QUEUED, RUNNING); then an event on every change of any of your jobs, in the order they were written, for as long as the connection stays open. `id` is `<updatedAt>|<jobId>|<version>` of the change: with it as Last-Event-ID, the stream resumes after that change (no unfinished-jobs snapshot first). Each event is `event: job` with `data:` the job as GET /v1/jobs/{jobId} answers it (one line of JSON). A comment line (`: heartbeat`) comes every EVENTS_HEARTBEAT_MS (15 s) on an otherwise quiet stream. Every api instance reads DynamoDB itself (every EVENTS_POLL_MS, 1 s), so the stream sees changes made anywhere, not only through the instance it is connected to. At most EVENTS_MAX_STREAMS_PER_USER (5) streams per user are open, on all api instances together: one more is a 429 (`violated-policies: ["open-streams"]`). Streams end when the api shuts down: reconnect with Last-Event-ID. A deleted job (deleted from any client) ends with one more event: `event: deleted`, `data:` `{"jobId": …, "deletedAt": …}`, its id stamped with `deletedAt`.
     */
    get: operations['streamMyJobEvents'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/jobs/{jobId}/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Live events of one job (Server-Sent Events)
     * @description The job’s state on connect, then an event on every change (queued → running → steps → final); the stream ends after a final state. `id` is the job’s version (1 at creation, +1 on every write): with Last-Event-ID the stream sends only versions after it, so a reconnect has no repeats, and no gaps in state (each event holds the whole job; versions written between two polls are folded into the newest). Each event is `event: job` with `data:` the job as GET /v1/jobs/{jobId} answers it (one line of JSON). A comment line (`: heartbeat`) comes every EVENTS_HEARTBEAT_MS (15 s) on an otherwise quiet stream. Every api instance reads DynamoDB itself (every EVENTS_POLL_MS, 1 s), so the stream sees changes made anywhere, not only through the instance it is connected to. At most EVENTS_MAX_STREAMS_PER_USER (5) streams per user are open, on all api instances together: one more is a 429 (`violated-policies: ["open-streams"]`). Streams end when the api shuts down: reconnect with Last-Event-ID.
     */
    get: operations['streamJobEvents'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/jobs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List your jobs, newest first
     * @description Deleted jobs and jobs past their `expiresAt` are left out. Administrators may list any user’s jobs with `owner`.
     */
    get: operations['listJobs'];
    put?: never;
    /**
     * Submit a text-to-image job
     * @description Only `prompt` is required.
     */
    post: operations['createJob'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/jobs/{jobId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get one of your jobs
     * @description Image URLs are presigned and short-lived. Another user’s job is a 404, exactly like a missing one, except for administrators, who may read any job. A deleted job, or one past its `expiresAt` (RETENTION_DAYS after submission), is a 404 too.
     */
    get: operations['getJob'];
    put?: never;
    post?: never;
    /**
     * Delete a job and its images
     * @description Removes the job, its request, the model’s output and its images; afterwards the job is a 404. A QUEUED or RUNNING job is canceled first. The usage it booked stays booked. Another user’s job is a 404, except for administrators, who may delete any job.
     */
    delete: operations['deleteJob'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/jobs/{jobId}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Cancel a queued or running job
     * @description The job is CANCELED when this answers: a QUEUED job never runs and costs nothing; a RUNNING one stops at its next step and is charged only for the GPU time it used. `metadata.cancellation` says what it saved. Canceling a job that is already CANCELED answers it again (200). Another user’s job is a 404, except for administrators, who may cancel any job.
     */
    post: operations['cancelJob'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/batches': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List your batches, newest first */
    get: operations['listBatches'];
    put?: never;
    /**
     * Submit up to 100 text-to-image jobs at once
     * @description Give `prompts` (one job per prompt) or `jobs` (one POST /v1/jobs body per job); the other fields are shared by every job (a job’s own field wins). Bodies are limited to 8 KB, so large batches use `prompts`. The batch is accepted whole or refused whole: the jobs in flight, the jobs per day and the monthly budgets must have room for every job (429 otherwise, with `jobsRequested` and what is left).
     */
    post: operations['createBatch'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/batches/{batchId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get one of your batches with its jobs’ states
     * @description Every job of the batch with its status, and the count per status. Another user’s batch is a 404, exactly like a missing one, except for administrators, who may read any batch.
     */
    get: operations['getBatch'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/jobs/estimate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Estimate a job’s cost and wait without creating it
     * @description The same body and validation as POST /v1/jobs. Nothing is stored and nothing is reserved.
     */
    post: operations['estimateJob'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/usage': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Your usage and budget for a month (admins: also the platform and every user)
     * @description Jobs count in the month (UTC) they were created in. Costs are GPU seconds × the model’s SageMaker hourly price.
     */
    get: operations['getUsage'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/usage/export': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Export a month’s jobs, one row per job (admins: every user’s, or one user’s with `owner`)
     * @description Streamed as it is read. `format=json` (the default) is NDJSON: one job object per line, then a last line `{"complete":true,"month",…,"rows":N,"gpuSeconds","usd"}` whose totals over the final jobs equal GET /v1/usage’s. `format=csv` is RFC 4180 with a header row, sent as a download; a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'` (formula injection). An export that fails part-way is cut off: the chunked answer ends without its final chunk (clients report an error), the NDJSON end line is missing, and the `X-Export-Rows` trailer is not sent. A failure before the first byte is a 503 problem.
     */
    get: operations['exportUsage'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/keys': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List your API keys, newest first
     * @description Prefixes and metadata only, never a key or its hash. Only with a signed-in user’s access token: an API key gets 403 (a key cannot create, list or revoke keys).
     */
    get: operations['listApiKeys'];
    put?: never;
    /**
     * Create an API key (shown once)
     * @description The answer holds the key itself (`key`), the only time it is shown: only its HMAC is stored. The key acts as you with only its scopes, never as an administrator. Only with a signed-in user’s access token: an API key gets 403 (a key cannot create, list or revoke keys).
     */
    post: operations['createApiKey'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/keys/{keyId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Revoke one of your API keys
     * @description Refused at once by the instance that answers, and by every api instance within API_KEYS_CACHE_TTL_SECONDS (default 5 s). Another user’s key is a 404, like a missing one. Only with a signed-in user’s access token: an API key gets 403 (a key cannot create, list or revoke keys).
     */
    delete: operations['revokeApiKey'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhooks/secret': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Your webhook signing secret
     * @description The Standard Webhooks `whsec_` secret every delivery to your webhooks is signed with (created on first use). Only with a signed-in user’s access token: an API key gets 403 (a leaked key must not reveal or replace the secret that proves deliveries come from the platform).
     */
    get: operations['getWebhookSecret'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhooks/secret/rotate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Replace your webhook signing secret
     * @description Answers the new secret. For 24 hours deliveries carry a signature with each secret (space-separated in `webhook-signature`), so receivers keep verifying while you deploy the new one; a second rotation within that time retires the oldest secret at once. Only with a signed-in user’s access token: an API key gets 403 (a leaked key must not reveal or replace the secret that proves deliveries come from the platform).
     */
    post: operations['rotateWebhookSecret'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/jobs/{jobId}/deliveries': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The webhook delivery log of one of your jobs
     * @description Every attempt to deliver the job’s webhook events, oldest first: when, the answer’s status, how long it took, the error, and when the next attempt is due. Kept WEBHOOKS_LOG_RETENTION_DAYS (default 30). Only the job’s owner sees it; another user’s job is a 404.
     */
    get: operations['listWebhookDeliveries'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/jobs/{jobId}/deliveries/{deliveryId}/redeliver': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Send one of the job’s webhook events again
     * @description Queues the event to be delivered again from attempt 1, with the same body and the same `webhook-id` (so a receiver that already has it can tell). `deliveryId` is from the delivery log.
     */
    post: operations['redeliverWebhook'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/models': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The models you can use, with their defaults and limits */
    get: operations['listModels'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/health/live': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Liveness: the process is up */
    get: operations['getLiveness'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/health/ready': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Readiness: the jobs table and the S3 buckets answer (503 otherwise)
     * @description Up/down per dependency, no details (those are logged). One probe answers for 2000 ms.
     */
    get: operations['getReadiness'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    CreateJobDto: {
      /**
       * @description Length in characters (Unicode code points). No control characters other than tab and line breaks
       * @example A beautiful sunset over mountains
       */
      prompt: string;
      /** @example blurry */
      negativePrompt?: string;
      /**
       * @description A model id from GET /v1/models
       * @example stable-diffusion-xl
       */
      modelId?: string;
      /**
       * @description Default: the quality preset of the model
       * @example 30
       */
      steps?: number;
      /**
       * @description Pixels. Default: the model default
       * @example 1024
       */
      width?: number;
      /**
       * @description Pixels. Default: the model default
       * @example 1024
       */
      height?: number;
      /**
       * @description Preset for steps and guidance
       * @example standard
       * @enum {string}
       */
      quality?: 'draft' | 'standard' | 'high';
      /** @example 7 */
      guidanceScale?: number;
      /**
       * Format: int64
       * @description Random when omitted
       * @example 42
       */
      seed?: number;
      /** @example 1 */
      numImages?: number;
      /**
       * @example png
       * @enum {string}
       */
      outputFormat?: 'png' | 'jpeg' | 'webp';
      /**
       * @description Seconds the job may take from submission to a final state, queue time included; past it the job ends TIMED_OUT. The deployment bounds it (JOBS_MIN_TIMEOUT_SECONDS..JOBS_MAX_TIMEOUT_SECONDS, by default 30..3600); a value outside is a 400. Default: JOBS_DEFAULT_TIMEOUT_SECONDS (900)
       * @example 600
       */
      timeoutSeconds?: number;
      /**
       * Format: uri
       * @description Where the job’s events are POSTed, signed per Standard Webhooks (GET /v1/webhooks/secret). In AWS only https on port 443; a URL that names localhost or a private, loopback, link-local or reserved IP address is refused (a host name that resolves to one is refused at delivery, and the refusal is in the delivery log)
       * @example https://example.com/hook
       */
      webhookUrl?: string;
      /**
       * @description Which events go to webhookUrl (only with webhookUrl). `completed` is any final state. Default: `completed`
       * @example [
       *       "queued",
       *       "completed"
       *     ]
       */
      webhookEvents?: ('queued' | 'running' | 'progress' | 'completed')[];
    };
    /** @enum {string} */
    JobStatus: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED' | 'TIMED_OUT';
    JobParamsView: {
      /** @example A beautiful sunset over mountains */
      prompt: string;
      /** @example blurry */
      negativePrompt?: string;
      /** @example stable-diffusion-xl */
      modelId: string;
      /** @example 30 */
      steps: number;
      /** @example 1024 */
      width: number;
      /** @example 1024 */
      height: number;
      /**
       * @example standard
       * @enum {string}
       */
      quality: 'draft' | 'standard' | 'high';
      /** @example 7 */
      guidanceScale: number;
      /** @example 42 */
      seed: number;
      /** @example 1 */
      numImages: number;
      /**
       * @example png
       * @enum {string}
       */
      outputFormat: 'png' | 'jpeg' | 'webp';
      /** @example https://example.com/hook */
      webhookUrl?: string;
      /**
       * @description With webhookUrl: the events sent to it
       * @example [
       *       "completed"
       *     ]
       */
      webhookEvents?: ('queued' | 'running' | 'progress' | 'completed')[];
    };
    JobImageView: {
      /**
       * Format: uri
       * @description Presigned GET URL, valid for IMAGES_URL_TTL_SECONDS
       */
      url: string;
      /**
       * @description Its position in the batch the model rendered (its entry in `imageOutcomes.outcomes`)
       * @example 0
       */
      index: number;
      /** @example 1024 */
      width: number;
      /** @example 1024 */
      height: number;
      /**
       * @example png
       * @enum {string}
       */
      format: 'png' | 'jpeg' | 'webp';
      /** @example 123456 */
      bytes: number;
    };
    /**
     * @description One outcome per image of the batch, in order
     * @enum {string}
     */
    ImageOutcome: 'ok' | 'filtered' | 'failed';
    JobImageOutcomesView: {
      /**
       * @description Images delivered (those in `images`)
       * @example 1
       */
      ok: number;
      /**
       * @description Images the model's safety or content filter blocked
       * @example 1
       */
      filtered: number;
      /**
       * @description Images the model failed to make
       * @example 0
       */
      failed: number;
      /**
       * @description One outcome per image of the batch, in order
       * @example [
       *       "ok",
       *       "filtered"
       *     ]
       */
      outcomes: components['schemas']['ImageOutcome'][];
    };
    JobProgressView: {
      /**
       * @description `waiting_for_capacity`: QUEUED, and the model’s endpoint has no instance in service (scaled to zero; one is starting). `queued`: QUEUED behind `position` jobs. `running`: RUNNING since `startedAt`. `done`: final.
       * @example running
       * @enum {string}
       */
      phase: 'waiting_for_capacity' | 'queued' | 'running' | 'done';
      /**
       * @description waiting_for_capacity / queued: unfinished jobs of the same model endpoint submitted before this one (all users; counted up to PROGRESS_POSITION_CAP)
       * @example 3
       */
      position?: number;
      /**
       * Format: date-time
       * @description running: when the model started rendering
       */
      startedAt?: string;
      /**
       * @description running: the last step the model reported (models that report steps only)
       * @example 12
       */
      step?: number;
      /** @example 30 */
      totalSteps?: number;
      /**
       * Format: date-time
       * @description Estimated completion: the cold start still ahead (waiting_for_capacity), the rounds of jobs ahead at the model’s recent inference time (queued), the pace of the reported steps or the recent inference time (running). An estimate: absent on a final job
       */
      estimatedCompletionAt?: string;
    };
    /**
     * @description What went wrong; the README lists each code with its meaning and whether a retry can help
     * @enum {string}
     */
    JobErrorCode:
      | 'MODEL_ERROR'
      | 'MODEL_OUTPUT_INVALID'
      | 'CONTENT_FILTERED'
      | 'MODEL_UNKNOWN'
      | 'OUTPUT_UNREADABLE'
      | 'ENDPOINT_NOT_FOUND'
      | 'INFERENCE_REJECTED'
      | 'INFERENCE_UNAVAILABLE'
      | 'TIMED_OUT'
      | 'QUEUE_TIMEOUT'
      | 'INFERENCE_TIMEOUT'
      | 'CANCELED'
      | 'BATCH_INCOMPLETE';
    JobErrorView: {
      /**
       * @description What went wrong; the README lists each code with its meaning and whether a retry can help
       * @example MODEL_ERROR
       */
      code: components['schemas']['JobErrorCode'];
      /** @example Simulated model failure */
      message: string;
    };
    ModelTimingsView: {
      /** @description Waiting for the model to be loaded, in ms */
      loadMs?: number;
      /** @description Waiting in the container for the GPU, in ms */
      queueMs?: number;
      /** @description Rendering the batch, in ms: what the job is charged for when present */
      inferenceMs?: number;
    };
    JobTimingsView: {
      /**
       * Format: date-time
       * @example 2026-11-26T12:00:00.000Z
       */
      submittedAt: string;
      /** Format: date-time */
      invokedAt?: string;
      /**
       * Format: date-time
       * @description When the model reported it started (status RUNNING)
       */
      startedAt?: string;
      /** Format: date-time */
      completedAt?: string;
      /** Format: date-time */
      finalizedAt?: string;
      /** @description submitted → accepted by SageMaker, in ms */
      queueMs?: number;
      /** @description accepted by SageMaker → output written (backlog + rendering), in ms */
      inferenceMs?: number;
      /** @description submitted → finalized, in ms */
      totalMs?: number;
      /** @description The timings the model container reports itself (the imggen container does) */
      model?: components['schemas']['ModelTimingsView'];
    };
    JobCostView: {
      /**
       * @description GPU seconds: the model’s own timing when it reports one, else SageMaker’s receivedTime → eventTime (which includes time in the endpoint’s backlog). 0 when the job never ran.
       * @example 9.402
       */
      gpuSeconds: number;
      /**
       * @description Estimated USD: gpuSeconds × the model’s SageMaker hourly price, rounded up to a micro-dollar
       * @example 0.003678
       */
      usd: number;
    };
    JobCancellationView: {
      /**
       * Format: date-time
       * @example 2026-11-26T12:00:00.000Z
       */
      canceledAt: string;
      /**
       * @description The state it was canceled in
       * @example RUNNING
       * @enum {string}
       */
      from: 'QUEUED' | 'RUNNING';
      /**
       * @description GPU seconds the job was estimated to take
       * @example 9.402
       */
      estimatedGpuSeconds: number;
      /**
       * @description GPU seconds not spent: the estimate less those used (`cost.gpuSeconds`, the only ones charged)
       * @example 6.113
       */
      gpuSecondsSaved: number;
      /**
       * @description USD not spent: the price of gpuSecondsSaved
       * @example 0.002392
       */
      usdSaved: number;
    };
    JobMetadataView: {
      /** @example stable-diffusion-xl */
      modelId: string;
      /** @example imggen-sdxl-async */
      endpointName: string;
      /** @example 01JD0000000000000000000000 */
      inferenceId: string;
      /** @example 42 */
      seed: number;
      timings: components['schemas']['JobTimingsView'];
      /** @description Set once the job is final; null before */
      cost: components['schemas']['JobCostView'] | null;
      /** @description What canceling the job saved; null unless it was canceled */
      cancellation: components['schemas']['JobCancellationView'] | null;
    };
    JobLinksView: {
      /**
       * @description This job: GET reads it, DELETE deletes it (with its images)
       * @example /v1/jobs/01JD0000000000000000000000
       */
      self: string;
      /**
       * @description POST cancels the job; present only while it can be canceled (QUEUED or RUNNING)
       * @example /v1/jobs/01JD0000000000000000000000/cancel
       */
      cancel?: string;
      /**
       * @description Its live events (GET, text/event-stream); present while the job is not final
       * @example /v1/jobs/01JD0000000000000000000000/events
       */
      events?: string;
    };
    JobView: {
      /** @example 01JD0000000000000000000000 */
      jobId: string;
      /** @example SUCCEEDED */
      status: components['schemas']['JobStatus'];
      /**
       * Format: date-time
       * @example 2026-11-26T12:00:00.000Z
       */
      createdAt: string;
      /**
       * Format: date-time
       * @example 2026-11-26T12:00:00.000Z
       */
      updatedAt: string;
      params: components['schemas']['JobParamsView'];
      /**
       * Format: uri
       * @description Presigned URL of the first image
       */
      imageUrl: string | null;
      /** @description The images delivered; a job whose model filtered some images of its batch keeps the others */
      images: components['schemas']['JobImageView'][];
      /** @description What became of each image the model was asked for: `ok` (in `images`), `filtered` (blocked by the model's filter) or `failed`; null until the model has answered. A job with at least one ok image SUCCEEDS; with every image filtered it FAILS with CONTENT_FILTERED. */
      imageOutcomes: components['schemas']['JobImageOutcomesView'] | null;
      progress: components['schemas']['JobProgressView'];
      /** @description Why the job did not succeed; null otherwise */
      error: components['schemas']['JobErrorView'] | null;
      metadata: components['schemas']['JobMetadataView'];
      /**
       * @description The batch the job was submitted in (GET /v1/batches/{batchId}); absent for a job submitted alone
       * @example 01JD0000000000000000000000
       */
      batchId?: string;
      /**
       * @description Seconds the job may take from submission to a final state (its request’s timeoutSeconds)
       * @example 900
       */
      timeoutSeconds?: number;
      /**
       * Format: date-time
       * @description createdAt + timeoutSeconds: a job not final by then ends TIMED_OUT
       * @example 2026-11-26T12:00:00.000Z
       */
      deadlineAt?: string;
      /**
       * Format: date-time
       * @description When the job, its request and its images are deleted (RETENTION_DAYS after submission)
       * @example 2026-11-26T12:00:00.000Z
       */
      expiresAt?: string;
      links: components['schemas']['JobLinksView'];
    };
    /**
     * @description `confirmed`: SageMaker took the job. `unconfirmed`: SageMaker gave no definite answer (timeout, connection lost, server error), so the job may or may not run: poll `links.self` and do NOT submit it again (that could render it twice). It ends SUCCEEDED or FAILED when SageMaker reports, or TIMED_OUT at its deadline.
     * @enum {string}
     */
    JobSubmission: 'confirmed' | 'unconfirmed';
    JobAcceptedView: {
      /**
       * @description ULID; also the SageMaker inference id
       * @example 01JD0000000000000000000000
       */
      jobId: string;
      /** @example QUEUED */
      status: components['schemas']['JobStatus'];
      /**
       * Format: date-time
       * @example 2026-11-26T12:00:00.000Z
       */
      createdAt: string;
      /**
       * @description `confirmed`: SageMaker took the job. `unconfirmed`: SageMaker gave no definite answer (timeout, connection lost, server error), so the job may or may not run: poll `links.self` and do NOT submit it again (that could render it twice). It ends SUCCEEDED or FAILED when SageMaker reports, or TIMED_OUT at its deadline.
       * @example confirmed
       */
      submission: components['schemas']['JobSubmission'];
      links: components['schemas']['JobLinksView'];
    };
    JobPageView: {
      items: components['schemas']['JobView'][];
      /** @description Pass as `cursor` for the next page; null at the end */
      nextCursor: string | null;
    };
    CreateBatchDto: {
      /** @example blurry */
      negativePrompt?: string;
      /**
       * @description A model id from GET /v1/models
       * @example stable-diffusion-xl
       */
      modelId?: string;
      /**
       * @description Default: the quality preset of the model
       * @example 30
       */
      steps?: number;
      /**
       * @description Pixels. Default: the model default
       * @example 1024
       */
      width?: number;
      /**
       * @description Pixels. Default: the model default
       * @example 1024
       */
      height?: number;
      /**
       * @description Preset for steps and guidance
       * @example standard
       * @enum {string}
       */
      quality?: 'draft' | 'standard' | 'high';
      /** @example 7 */
      guidanceScale?: number;
      /**
       * Format: int64
       * @description Random when omitted
       * @example 42
       */
      seed?: number;
      /** @example 1 */
      numImages?: number;
      /**
       * @example png
       * @enum {string}
       */
      outputFormat?: 'png' | 'jpeg' | 'webp';
      /**
       * @description Seconds the job may take from submission to a final state, queue time included; past it the job ends TIMED_OUT. The deployment bounds it (JOBS_MIN_TIMEOUT_SECONDS..JOBS_MAX_TIMEOUT_SECONDS, by default 30..3600); a value outside is a 400. Default: JOBS_DEFAULT_TIMEOUT_SECONDS (900)
       * @example 600
       */
      timeoutSeconds?: number;
      /**
       * Format: uri
       * @description Where the job’s events are POSTed, signed per Standard Webhooks (GET /v1/webhooks/secret). In AWS only https on port 443; a URL that names localhost or a private, loopback, link-local or reserved IP address is refused (a host name that resolves to one is refused at delivery, and the refusal is in the delivery log)
       * @example https://example.com/hook
       */
      webhookUrl?: string;
      /**
       * @description Which events go to webhookUrl (only with webhookUrl). `completed` is any final state. Default: `completed`
       * @example [
       *       "queued",
       *       "completed"
       *     ]
       */
      webhookEvents?: ('queued' | 'running' | 'progress' | 'completed')[];
      /** @description The jobs, each a POST /v1/jobs body; the shared fields fill in what a job leaves out. A 400 names a bad field with its index, e.g. `jobs[3].steps` */
      jobs?: components['schemas']['CreateJobDto'][];
      /**
       * @description One job per prompt (each at most 2000 characters), all with the shared fields
       * @example [
       *       "A lighthouse at dawn",
       *       "A lighthouse at dusk"
       *     ]
       */
      prompts?: string[];
    };
    BatchLinksView: {
      /**
       * @description This batch (GET)
       * @example /v1/batches/01JD0000000000000000000000
       */
      self: string;
    };
    BatchAcceptedView: {
      /**
       * @description ULID
       * @example 01JD0000000000000000000000
       */
      batchId: string;
      /**
       * Format: date-time
       * @example 2026-11-26T12:00:00.000Z
       */
      createdAt: string;
      /** @description In the order submitted. A job SageMaker refused at once is FAILED here (its `error` on GET links.self); the others are QUEUED */
      jobs: components['schemas']['JobAcceptedView'][];
      links: components['schemas']['BatchLinksView'];
    };
    BatchSummaryView: {
      /** @example 01JD0000000000000000000000 */
      batchId: string;
      /**
       * Format: date-time
       * @example 2026-11-26T12:00:00.000Z
       */
      createdAt: string;
      /** @example 100 */
      jobCount: number;
      links: components['schemas']['BatchLinksView'];
    };
    BatchPageView: {
      /** @description Newest first */
      items: components['schemas']['BatchSummaryView'][];
      /** @description Pass as `cursor` for the next page; null at the end */
      nextCursor: string | null;
    };
    BatchCountsView: {
      /** @example 0 */
      QUEUED: number;
      /** @example 2 */
      RUNNING: number;
      /** @example 97 */
      SUCCEEDED: number;
      /** @example 1 */
      FAILED: number;
      /** @example 0 */
      CANCELED: number;
      /** @example 0 */
      TIMED_OUT: number;
    };
    BatchJobView: {
      /** @example 01JD0000000000000000000000 */
      jobId: string;
      /** @example SUCCEEDED */
      status: components['schemas']['JobStatus'];
      /** @description Why the job did not succeed; null otherwise */
      error: components['schemas']['JobErrorView'] | null;
      links: components['schemas']['JobLinksView'];
    };
    BatchView: {
      /** @example 01JD0000000000000000000000 */
      batchId: string;
      /**
       * Format: date-time
       * @example 2026-11-26T12:00:00.000Z
       */
      createdAt: string;
      /** @example 100 */
      jobCount: number;
      counts: components['schemas']['BatchCountsView'];
      /** @description Every job of the batch, in the order submitted */
      jobs: components['schemas']['BatchJobView'][];
      links: components['schemas']['BatchLinksView'];
    };
    CostEstimateView: {
      /**
       * @description GPU seconds the job should take on a warm instance
       * @example 9.402
       */
      gpuSeconds: number;
      /**
       * @description Their price, USD: what a submission reserves
       * @example 0.003678
       */
      usd: number;
      /** @example ml.g5.xlarge */
      instanceType: string;
      /**
       * @description SageMaker hosting price of the instance, USD/h
       * @example 1.408
       */
      hourlyUsd: number;
    };
    WaitEstimateView: {
      /**
       * @description Seconds until done when an instance is up and idle
       * @example 9.402
       */
      warmSeconds: number;
      /**
       * @description Seconds until done when the endpoint has scaled to zero (plus the model’s cold start)
       * @example 369.402
       */
      coldSeconds: number;
    };
    EstimateBudgetView: {
      /**
       * @description USD left this month in the tighter of your budget and the platform’s; null when neither is set
       * @example 24.846
       */
      remainingUsd: number | null;
      /**
       * @description Whether this job fits what is left (else POST /v1/jobs answers 429)
       * @example true
       */
      fits: boolean;
      /**
       * Format: date-time
       * @example 2026-12-01T00:00:00.000Z
       */
      resetsAt: string;
    };
    JobEstimateView: {
      /** @description The parameters the job would run with (the seed is drawn) */
      params: components['schemas']['JobParamsView'];
      cost: components['schemas']['CostEstimateView'];
      wait: components['schemas']['WaitEstimateView'];
      budget: components['schemas']['EstimateBudgetView'];
    };
    JobsByStatusView: {
      /** @example 40 */
      SUCCEEDED: number;
      /** @example 2 */
      FAILED: number;
      /** @example 0 */
      CANCELED: number;
      /** @example 0 */
      TIMED_OUT: number;
    };
    JobCountsView: {
      /**
       * @description Jobs submitted this month (final + in flight)
       * @example 43
       */
      total: number;
      /**
       * @description Jobs not final yet (their estimate is reserved)
       * @example 1
       */
      inFlight: number;
      /** @description Final jobs per status */
      byStatus: components['schemas']['JobsByStatusView'];
    };
    BudgetView: {
      /**
       * @description The monthly budget, USD
       * @example 25
       */
      limitUsd: number;
      /**
       * @description What final jobs cost plus what jobs in flight reserved (their estimates), USD
       * @example 0.154
       */
      committedUsd: number;
      /**
       * @description limitUsd − committedUsd, never below 0
       * @example 24.846
       */
      remainingUsd: number;
      /**
       * Format: date-time
       * @description 00:00 UTC on the first of next month
       * @example 2026-12-01T00:00:00.000Z
       */
      resetsAt: string;
    };
    ApiKeyUsageView: {
      jobs: components['schemas']['JobCountsView'];
      /**
       * @description GPU seconds of the final jobs
       * @example 384.2
       */
      gpuSeconds: number;
      /**
       * @description What the final jobs cost, USD (GPU seconds × the model’s SageMaker hourly price)
       * @example 0.150266
       */
      usd: number;
      /**
       * @description The API key the jobs were submitted with
       * @example 01JD8Z4Q6C2M3N4P5Q6R7S8T9V
       */
      keyId: string;
      /**
       * @description Its name; null once revoked
       * @example render-farm
       */
      name: string | null;
      /**
       * @description Final costs plus reservations in flight, USD
       * @example 0.154
       */
      committedUsd: number;
      /** @description The key’s own monthly budget; null when it has none */
      budget: components['schemas']['BudgetView'] | null;
    };
    PlatformUsageView: {
      jobs: components['schemas']['JobCountsView'];
      /**
       * @description GPU seconds of the final jobs
       * @example 384.2
       */
      gpuSeconds: number;
      /**
       * @description What the final jobs cost, USD (GPU seconds × the model’s SageMaker hourly price)
       * @example 0.150266
       */
      usd: number;
      /** @description MONTHLY_BUDGET_USD; null when none is set */
      budget: components['schemas']['BudgetView'] | null;
    };
    UserUsageView: {
      jobs: components['schemas']['JobCountsView'];
      /**
       * @description GPU seconds of the final jobs
       * @example 384.2
       */
      gpuSeconds: number;
      /**
       * @description What the final jobs cost, USD (GPU seconds × the model’s SageMaker hourly price)
       * @example 0.150266
       */
      usd: number;
      /** @example 3f1c2a9e-0000-4000-8000-000000000000 */
      ownerId: string;
      /**
       * @description Final costs plus reservations in flight, USD
       * @example 0.154
       */
      committedUsd: number;
    };
    UserUsagePageView: {
      /** @description Users with usage this month, in owner id order */
      items: components['schemas']['UserUsageView'][];
      /** @description Pass as `cursor` for the next users; null at the end */
      nextCursor: string | null;
    };
    UsageView: {
      jobs: components['schemas']['JobCountsView'];
      /**
       * @description GPU seconds of the final jobs
       * @example 384.2
       */
      gpuSeconds: number;
      /**
       * @description What the final jobs cost, USD (GPU seconds × the model’s SageMaker hourly price)
       * @example 0.150266
       */
      usd: number;
      /**
       * @description The month (UTC) this covers; jobs count in the month created
       * @example 2026-11
       */
      month: string;
      /** @description Your monthly budget; null when you have none */
      budget: components['schemas']['BudgetView'] | null;
      /** @description Your usage broken down by the API keys that submitted jobs this month (revoked ones too), in key id order; jobs submitted with a signed-in token count only in the totals */
      keys: components['schemas']['ApiKeyUsageView'][];
      /** @description Admins only: the whole platform */
      platform?: components['schemas']['PlatformUsageView'];
      /** @description Admins only: usage per user */
      users?: components['schemas']['UserUsagePageView'];
    };
    UsageExportRowView: {
      /** @example 01JD0000000000000000000000 */
      jobId: string;
      /**
       * @description The job’s owner (user id)
       * @example b5d0c8f4-0000-5000-8000-000000000001
       */
      ownerId: string;
      /**
       * @description The API key the job was submitted with; null for a user’s token
       * @example null
       */
      apiKeyId: string | null;
      /** @example stable-diffusion-xl */
      modelId: string;
      /**
       * @example SUCCEEDED
       * @enum {string}
       */
      status: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED' | 'TIMED_OUT';
      /**
       * @description GPU seconds charged; null while the job is in flight
       * @example 9.402
       */
      gpuSeconds: number | null;
      /**
       * @description USD charged (whole micro-dollars); null while the job is in flight
       * @example 0.003678
       */
      usd: number | null;
      /**
       * Format: date-time
       * @example 2026-11-26T12:00:00.000Z
       */
      createdAt: string;
      /**
       * Format: date-time
       * @example 2026-11-26T12:00:10.000Z
       */
      finalizedAt: string | null;
      /**
       * @description Submitted → accepted by SageMaker, in ms
       * @example 120
       */
      queueMs: number | null;
      /**
       * @description Accepted by SageMaker → output written (backlog + rendering), in ms
       * @example 9402
       */
      inferenceMs: number | null;
      /**
       * @description Submitted → finalized, in ms
       * @example 10020
       */
      totalMs: number | null;
    };
    UsageExportEndView: {
      /**
       * @example true
       * @enum {boolean}
       */
      complete: true;
      /** @example 2026-11 */
      month: string;
      /**
       * @description Job lines before this one
       * @example 43
       */
      rows: number;
      /**
       * @description GPU seconds of the final jobs exported
       * @example 384.2
       */
      gpuSeconds: number;
      /**
       * @description USD of the final jobs exported
       * @example 0.150266
       */
      usd: number;
    };
    CreateApiKeyDto: {
      /**
       * @description To tell your keys apart: one line of at most 100 characters, not only white space
       * @example ci-nightly
       */
      name: string;
      /**
       * @description What the key may do: `jobs:write` submits jobs and estimates, `jobs:read` reads jobs and models, `usage:read` reads GET /v1/usage
       * @example [
       *       "jobs:read",
       *       "jobs:write"
       *     ]
       */
      scopes: ('jobs:read' | 'jobs:write' | 'usage:read')[];
      /**
       * Format: date-time
       * @description When the key stops working: in the future, at most 366 days ahead. Default: never
       * @example 2027-06-01T00:00:00Z
       */
      expiresAt?: string;
      /**
       * @description USD per calendar month (UTC) this key’s jobs may commit, on top of your own budget. Default: none
       * @example 25
       */
      monthlyBudgetUsd?: number;
      /**
       * @description Requests per minute this key may make, on top of your own limit. Default: none
       * @example 60
       */
      requestsPerMinute?: number;
    };
    CreatedApiKeyView: {
      /**
       * @description The key’s public id (DELETE /v1/keys/{id})
       * @example 01JD0000000000000000000000
       */
      id: string;
      /**
       * @description How the key begins: enough to recognise it, never enough to use it
       * @example igk_live_01JD0000000000000000000000
       */
      prefix: string;
      /** @example ci-nightly */
      name: string;
      /**
       * @example [
       *       "jobs:read",
       *       "jobs:write"
       *     ]
       */
      scopes: ('jobs:read' | 'jobs:write' | 'usage:read')[];
      /** Format: date-time */
      createdAt: string;
      /**
       * Format: date-time
       * @description Last request made with the key, to the minute; null if never used
       */
      lastUsedAt: string | null;
      /**
       * Format: date-time
       * @description null: never expires
       */
      expiresAt: string | null;
      /**
       * @description The key’s own monthly budget; null: none
       * @example 25
       */
      monthlyBudgetUsd: number | null;
      /**
       * @description The key’s own requests per minute; null: none
       * @example 60
       */
      requestsPerMinute: number | null;
      /**
       * @description The secret key: send it as `Authorization: Bearer <key>`. Shown only now; store it safely
       * @example igk_live_01JD0000000000000000000000_4fJ0cW1a9Q2xYk7LrT3mVb8nZs6dHgPe5uKoNi0jAqB1wXyz
       */
      key: string;
    };
    ApiKeyView: {
      /**
       * @description The key’s public id (DELETE /v1/keys/{id})
       * @example 01JD0000000000000000000000
       */
      id: string;
      /**
       * @description How the key begins: enough to recognise it, never enough to use it
       * @example igk_live_01JD0000000000000000000000
       */
      prefix: string;
      /** @example ci-nightly */
      name: string;
      /**
       * @example [
       *       "jobs:read",
       *       "jobs:write"
       *     ]
       */
      scopes: ('jobs:read' | 'jobs:write' | 'usage:read')[];
      /** Format: date-time */
      createdAt: string;
      /**
       * Format: date-time
       * @description Last request made with the key, to the minute; null if never used
       */
      lastUsedAt: string | null;
      /**
       * Format: date-time
       * @description null: never expires
       */
      expiresAt: string | null;
      /**
       * @description The key’s own monthly budget; null: none
       * @example 25
       */
      monthlyBudgetUsd: number | null;
      /**
       * @description The key’s own requests per minute; null: none
       * @example 60
       */
      requestsPerMinute: number | null;
    };
    ApiKeyPageView: {
      items: components['schemas']['ApiKeyView'][];
      /** @description Pass as `cursor` for the next page; null at the end */
      nextCursor: string | null;
    };
    WebhookSecretView: {
      /**
       * @description Your Standard Webhooks signing secret: verify every delivery with it
       * @example whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
       */
      secret: string;
      /** Format: date-time */
      createdAt: string;
      /**
       * Format: date-time
       * @description After a rotation, until this instant deliveries are signed with the previous secret too (both signatures in `webhook-signature`); null when no previous secret signs any more
       */
      previousSecretRetiresAt: string | null;
    };
    WebhookDeliveryAttemptView: {
      /**
       * @description The event’s delivery id, also its `webhook-id` header (the same on every attempt and redelivery)
       * @example 01JD0000000000000000000000.completed
       */
      deliveryId: string;
      /**
       * @example job.completed
       * @enum {string}
       */
      event: 'job.queued' | 'job.running' | 'job.progress' | 'job.completed';
      /**
       * @description 1 for a delivery’s first attempt; a redelivery restarts at 1
       * @example 1
       */
      attempt: number;
      /** Format: date-time */
      attemptedAt: string;
      /**
       * @description `delivered`: a 2xx answer. `retrying`: failed, tried again at nextAttemptAt. `failed`: failed and the retry window (24 h) is over. `blocked`: not sent, the URL resolves to an address webhooks may not reach
       * @example retrying
       * @enum {string}
       */
      outcome: 'delivered' | 'retrying' | 'failed' | 'blocked';
      /**
       * @description The receiver’s status; null: no answer
       * @example 500
       */
      statusCode: number | null;
      /**
       * @description From connecting to the end of the answer, in ms
       * @example 112
       */
      durationMs: number;
      /** @example the receiver answered 500 */
      error: string | null;
      /**
       * Format: date-time
       * @description When the next attempt is due
       */
      nextAttemptAt: string | null;
    };
    WebhookDeliveryPageView: {
      /** @description Attempts, oldest first */
      items: components['schemas']['WebhookDeliveryAttemptView'][];
      /** @description Pass as `cursor` for the next page; null: no more */
      nextCursor: string | null;
    };
    WebhookRedeliveryView: {
      /** @example 01JD0000000000000000000000.completed */
      deliveryId: string;
      /**
       * @description The event is queued to be sent again from attempt 1
       * @example queued
       * @enum {string}
       */
      status: 'queued';
    };
    ModelPricingView: {
      /**
       * @description The SageMaker instance type the model runs on
       * @example ml.g5.xlarge
       */
      instanceType: string;
      /**
       * @description Its hosting price per instance-hour, in USD
       * @example 1.408
       */
      hourlyUsd: number;
      /**
       * @description What a job with the defaults costs (`typicalSeconds` at `hourlyUsd`), in USD
       * @example 0.003677
       */
      typicalJobUsd: number;
    };
    ModelDefaultsView: {
      /** @example 1024 */
      width: number;
      /** @example 1024 */
      height: number;
      /**
       * @description Steps of the `standard` quality preset
       * @example 30
       */
      steps: number;
      /** @example 7 */
      guidanceScale: number;
      /** @example 1 */
      numImages: number;
      /**
       * @example png
       * @enum {string}
       */
      outputFormat: 'png' | 'jpeg' | 'webp';
    };
    ModelLimitsView: {
      /** @example 1 */
      minSteps: number;
      /** @example 100 */
      maxSteps: number;
      /** @example 512 */
      minSize: number;
      /** @example 1536 */
      maxSize: number;
      /**
       * @description Width and height must both be multiples of this
       * @example 8
       */
      sizeMultiple: number;
      /**
       * @description When present, only these [width, height] pairs are accepted
       * @example [
       *       [
       *         1024,
       *         1024
       *       ],
       *       [
       *         1152,
       *         896
       *       ]
       *     ]
       */
      allowedSizes?: number[][];
      /** @example 4 */
      maxImages: number;
      /**
       * @description Longest prompt accepted, in characters
       * @example 2000
       */
      maxPromptLength: number;
      /**
       * @description Largest guidanceScale accepted; 0 for a distilled model trained without guidance
       * @example 35
       */
      maxGuidanceScale: number;
    };
    ModelView: {
      /** @example stable-diffusion-xl */
      id: string;
      /** @example Stable Diffusion XL */
      displayName: string;
      description: string;
      /**
       * @description `async`: a SageMaker asynchronous endpoint (queues, scales to zero). `realtime`: a real-time endpoint the api calls itself (no queue: a busy endpoint fails the job with INFERENCE_UNAVAILABLE). Jobs are polled the same way in both modes.
       * @example async
       * @enum {string}
       */
      mode: 'async' | 'realtime';
      /** @description The model used when a job names none */
      default: boolean;
      /** @description Whether a running job of this model shows its step in `progress` (its container reports steps) */
      reportsProgress: boolean;
      /**
       * @description GPU seconds a job with the defaults typically takes on a warm instance (from the catalog’s timing model; time in a queue comes on top)
       * @example 9.4
       */
      typicalSeconds: number;
      /**
       * @description Seconds for a first instance to come into service when the model has scaled to zero
       * @example 360
       */
      coldStartSeconds: number;
      pricing: components['schemas']['ModelPricingView'];
      defaults: components['schemas']['ModelDefaultsView'];
      limits: components['schemas']['ModelLimitsView'];
    };
    ModelListView: {
      items: components['schemas']['ModelView'][];
    };
    FieldErrorView: {
      /** @example width */
      field: string;
      /** @example width must be divisible by 8 */
      message: string;
    };
    ProblemView: {
      /**
       * @description What kind of problem (a relative URI)
       * @example /problems/validation-error
       */
      type: string;
      /** @example Invalid request */
      title: string;
      /**
       * @description The HTTP status
       * @example 400
       */
      status: number;
      /** @example The request has 1 invalid field: width */
      detail: string;
      /**
       * @description The path of the request that failed
       * @example /v1/jobs
       */
      instance: string;
      /** @description On a 400: one entry per invalid field. On a 403: the parameter the caller may not use, or `scope`: the scope the API key lacks */
      errors?: components['schemas']['FieldErrorView'][];
      /**
       * @description On a 503 or 500 from POST /v1/jobs: the job that was recorded and left FAILED (see GET /v1/jobs/{jobId}); on a 409 job-not-cancelable: the job
       * @example 01JD0000000000000000000000
       */
      jobId?: string;
      /**
       * @description On a 429 budget-exhausted: whose monthly budget is spent (yours, the API key’s, or the whole platform’s)
       * @example user
       * @enum {string}
       */
      budget?: 'user' | 'key' | 'platform';
      /**
       * Format: date-time
       * @description On a 429 budget-exhausted: when the budget resets (00:00 UTC on the first day of next month)
       * @example 2026-12-01T00:00:00.000Z
       */
      resetsAt?: string;
      /**
       * @description On a 429: the limits the request went over, named as in the `RateLimit` fields (`requests-per-minute`, `jobs-per-day`, `jobs-in-flight`, `open-streams`)
       * @example [
       *       "jobs-per-day"
       *     ]
       */
      'violated-policies'?: string[];
      /**
       * @description On a 429 from POST /v1/batches: how many jobs the refused batch has (none of them was submitted)
       * @example 100
       */
      jobsRequested?: number;
      /**
       * @description On a 429 quota-exceeded from POST /v1/batches: how many jobs the limit still has room for
       * @example 12
       */
      jobsAvailable?: number;
      /**
       * @description On a 429 budget-exhausted from POST /v1/batches: the batch’s estimated cost in USD
       * @example 1.32
       */
      estimatedUsd?: number;
      /**
       * @description On a 429 budget-exhausted from POST /v1/batches: what is left of that budget in USD
       * @example 0.4
       */
      remainingUsd?: number;
      /**
       * @description On a 409 job-not-cancelable: the job’s current status, a final one
       * @example SUCCEEDED
       */
      jobStatus?: string;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: {
    /** @description The request's id: the caller's `X-Request-Id` when it is sane, else a new ULID. Quote it in reports. */
    RequestId: string;
    /** @description The limits that apply to you (draft-ietf-httpapi-ratelimit-headers): `q` per `w` seconds. `requests-per-minute` on every answer to an authenticated request; `jobs-per-day` and `jobs-in-flight` (`qu="concurrent-requests"`, no window) also on POST /v1/jobs once the body is valid. Absent for a limit your groups do not have. */
    'RateLimit-Policy': string;
    /** @description What is left of each limit in `RateLimit-Policy`: `r` available, restored in `t` seconds. */
    RateLimit: string;
  };
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  streamMyJobEvents: {
    parameters: {
      query?: never;
      header?: {
        /** @description Resume after this event: the `id` of the last event received (browsers send it when they reconnect). An id the stream cannot have sent (not of its form, a version the job has not reached, a change dated in the future) is a 400. */
        'Last-Event-ID'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The event stream */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description `no-cache`: never stored */
          'Cache-Control'?: string;
          /** @description `no`: proxies (nginx) pass each event on at once */
          'X-Accel-Buffering'?: string;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example id: 2026-11-26T12:00:01.250Z|01JD0000000000000000000000|3
           *     event: job
           *     data: {"jobId":"01JD0000000000000000000000","status":"RUNNING",…}
           */
          'text/event-stream': string;
        };
      };
      /** @description Invalid input; `errors` names each bad field */
      400: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/validation-error",
           *       "title": "Invalid request",
           *       "status": 400,
           *       "detail": "The request has 1 invalid field: width",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "width",
           *           "message": "width must be a multiple of 8 from 256 to 1536"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Missing, invalid or expired Bearer token */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The access token is invalid or expired",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Authenticated, but not allowed: an API key without the scope the route needs (`detail` names it, `errors` has `scope`), an API key on a route that takes none (/v1/keys), or a parameter only administrators may use (`errors` names it) */
      403: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the scope jobs:write",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "scope",
           *           "message": "needs jobs:write; the key has jobs:read"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Over a limit; retry after `Retry-After` seconds. `/problems/rate-limited` (requests per minute) or `/problems/quota-exceeded` (jobs per day, jobs in flight, open event streams): `violated-policies` names the limit. On POST /v1/jobs and POST /v1/batches also `/problems/budget-exhausted`: the job (the whole batch) does not fit in what is left of a monthly budget (`budget` says whose); `Retry-After` and `resetsAt` point at the reset. A batch is refused whole: `jobsRequested` with `jobsAvailable` or `estimatedUsd` and `remainingUsd`. */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/rate-limited",
           *       "title": "Too many requests",
           *       "status": 429,
           *       "detail": "Over 120 requests per minute; try again in 42 s.",
           *       "instance": "/v1/jobs",
           *       "violated-policies": [
           *         "requests-per-minute"
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description A dependency is unavailable; nothing was half-written. Retry after `Retry-After` seconds. On POST /v1/jobs, `jobId` names the job when it was recorded and left FAILED. */
      503: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/dependency-unavailable",
           *       "title": "Service temporarily unavailable",
           *       "status": 503,
           *       "detail": "DynamoDB is unavailable; try again shortly.",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
    };
  };
  streamJobEvents: {
    parameters: {
      query?: never;
      header?: {
        /** @description Resume after this event: the `id` of the last event received (browsers send it when they reconnect). An id the stream cannot have sent (not of its form, a version the job has not reached, a change dated in the future) is a 400. */
        'Last-Event-ID'?: string;
      };
      path: {
        jobId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The event stream */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description `no-cache`: never stored */
          'Cache-Control'?: string;
          /** @description `no`: proxies (nginx) pass each event on at once */
          'X-Accel-Buffering'?: string;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example id: 1
           *     event: job
           *     data: {"jobId":"01JD0000000000000000000000","status":"QUEUED",…}
           */
          'text/event-stream': string;
        };
      };
      /** @description Invalid input; `errors` names each bad field */
      400: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/validation-error",
           *       "title": "Invalid request",
           *       "status": 400,
           *       "detail": "The request has 1 invalid field: width",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "width",
           *           "message": "width must be a multiple of 8 from 256 to 1536"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Missing, invalid or expired Bearer token */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The access token is invalid or expired",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Authenticated, but not allowed: an API key without the scope the route needs (`detail` names it, `errors` has `scope`), an API key on a route that takes none (/v1/keys), or a parameter only administrators may use (`errors` names it) */
      403: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the scope jobs:write",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "scope",
           *           "message": "needs jobs:write; the key has jobs:read"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description No such job or API key, or not yours */
      404: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/not-found",
           *       "title": "Not found",
           *       "status": 404,
           *       "detail": "No job 01JD0000000000000000000000",
           *       "instance": "/v1/jobs/01JD0000000000000000000000"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Over a limit; retry after `Retry-After` seconds. `/problems/rate-limited` (requests per minute) or `/problems/quota-exceeded` (jobs per day, jobs in flight, open event streams): `violated-policies` names the limit. On POST /v1/jobs and POST /v1/batches also `/problems/budget-exhausted`: the job (the whole batch) does not fit in what is left of a monthly budget (`budget` says whose); `Retry-After` and `resetsAt` point at the reset. A batch is refused whole: `jobsRequested` with `jobsAvailable` or `estimatedUsd` and `remainingUsd`. */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/rate-limited",
           *       "title": "Too many requests",
           *       "status": 429,
           *       "detail": "Over 120 requests per minute; try again in 42 s.",
           *       "instance": "/v1/jobs",
           *       "violated-policies": [
           *         "requests-per-minute"
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description A dependency is unavailable; nothing was half-written. Retry after `Retry-After` seconds. On POST /v1/jobs, `jobId` names the job when it was recorded and left FAILED. */
      503: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/dependency-unavailable",
           *       "title": "Service temporarily unavailable",
           *       "status": 503,
           *       "detail": "DynamoDB is unavailable; try again shortly.",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
    };
  };
  listJobs: {
    parameters: {
      query?: {
        limit?: number;
        /** @description The previous page’s nextCursor, as is: opaque, valid only for the same user and status filter */
        cursor?: string;
        status?: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED' | 'TIMED_OUT';
        /** @description Administrators only (403 for anyone else): list this user’s jobs instead of your own. The user id is the token’s `sub`. */
        owner?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobPageView'];
        };
      };
      /** @description Invalid input; `errors` names each bad field */
      400: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/validation-error",
           *       "title": "Invalid request",
           *       "status": 400,
           *       "detail": "The request has 1 invalid field: width",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "width",
           *           "message": "width must be a multiple of 8 from 256 to 1536"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Missing, invalid or expired Bearer token */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The access token is invalid or expired",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Authenticated, but not allowed: an API key without the scope the route needs (`detail` names it, `errors` has `scope`), an API key on a route that takes none (/v1/keys), or a parameter only administrators may use (`errors` names it) */
      403: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the scope jobs:write",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "scope",
           *           "message": "needs jobs:write; the key has jobs:read"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Over a limit; retry after `Retry-After` seconds. `/problems/rate-limited` (requests per minute) or `/problems/quota-exceeded` (jobs per day, jobs in flight, open event streams): `violated-policies` names the limit. On POST /v1/jobs and POST /v1/batches also `/problems/budget-exhausted`: the job (the whole batch) does not fit in what is left of a monthly budget (`budget` says whose); `Retry-After` and `resetsAt` point at the reset. A batch is refused whole: `jobsRequested` with `jobsAvailable` or `estimatedUsd` and `remainingUsd`. */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/rate-limited",
           *       "title": "Too many requests",
           *       "status": 429,
           *       "detail": "Over 120 requests per minute; try again in 42 s.",
           *       "instance": "/v1/jobs",
           *       "violated-policies": [
           *         "requests-per-minute"
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description A dependency is unavailable; nothing was half-written. Retry after `Retry-After` seconds. On POST /v1/jobs, `jobId` names the job when it was recorded and left FAILED. */
      503: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/dependency-unavailable",
           *       "title": "Service temporarily unavailable",
           *       "status": 503,
           *       "detail": "DynamoDB is unavailable; try again shortly.",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
    };
  };
  createJob: {
    parameters: {
      query?: never;
      header?: {
        /** @description `wait=N` (RFC 7240): hold the answer up to N seconds (at most the deployment’s JOBS_MAX_WAIT_SECONDS, 25 by default) for the job to end. Ended in time: `201` with the final job; otherwise the usual `202`. Either way `Preference-Applied: wait=<seconds waited at most>` says the preference was honoured; a longer wait is cut to the cap and says so (`wait=99999` gives `Preference-Applied: wait=25`). `wait=0`, or a `wait` that is not a whole number of seconds (`wait`, `wait=abc`, `wait=-1`, `wait=1.5`), is ignored: the usual `202` at once, without `Preference-Applied`. Other preferences (`respond-async`, `return`) are ignored; of two `wait` preferences the first counts. */
        Prefer?: string;
        /** @description Makes the request safe to retry (IETF httpapi Idempotency-Key draft): 1 to 255 visible ASCII characters, as a quoted Structured Fields string (`"8e03978e-40d5-43e8-bc93-6894a57f9324"`) or bare (`8e03978e-40d5-43e8-bc93-6894a57f9324`). Within 24 hours, the same key with the same body creates nothing new and returns the first answer with `Idempotent-Replayed: true`; with another body it is a 422; while the first request is still running, a 409. Keys are per user. An error answer is not kept: retrying with the same key runs the request again. */
        'Idempotency-Key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateJobDto'];
      };
    };
    responses: {
      /** @description With `Prefer: wait`: the job ended within the wait; this is the final job (any final status) */
      201: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description The job, as in `links.self` */
          Location: string;
          /** @description Present when `Prefer: wait` was honoured: `wait=<seconds>`, the longest the answer was held */
          'Preference-Applied'?: string;
          /** @description Present on a replayed answer: an earlier request with the same `Idempotency-Key` created the job */
          'Idempotent-Replayed'?: 'true';
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobView'];
        };
      };
      /** @description Queued (or, with `Prefer: wait`, not final within the wait); poll `links.self` (also in `Location`) */
      202: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description The job, as in `links.self` */
          Location: string;
          /** @description Present when `Prefer: wait` was honoured: `wait=<seconds>`, the longest the answer was held */
          'Preference-Applied'?: string;
          /** @description Present on a replayed answer: an earlier request with the same `Idempotency-Key` created the job */
          'Idempotent-Replayed'?: 'true';
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobAcceptedView'];
        };
      };
      /** @description Invalid input; `errors` names each bad field */
      400: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/validation-error",
           *       "title": "Invalid request",
           *       "status": 400,
           *       "detail": "The request has 1 invalid field: width",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "width",
           *           "message": "width must be a multiple of 8 from 256 to 1536"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Missing, invalid or expired Bearer token */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The access token is invalid or expired",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Authenticated, but not allowed: an API key without the scope the route needs (`detail` names it, `errors` has `scope`), an API key on a route that takes none (/v1/keys), or a parameter only administrators may use (`errors` names it) */
      403: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the scope jobs:write",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "scope",
           *           "message": "needs jobs:write; the key has jobs:read"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description A request with the same `Idempotency-Key` is still being processed. Retry the same request after `Retry-After` seconds to get its answer */
      409: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/idempotency-key-in-use",
           *       "title": "Idempotency key in use",
           *       "status": 409,
           *       "detail": "A request with this Idempotency-Key is still being processed. Retry the same request after Retry-After seconds to get its answer.",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Body over 8 KB */
      413: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/payload-too-large",
           *       "title": "Payload too large",
           *       "status": 413,
           *       "detail": "Request bodies are limited to 8192 bytes",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Body is not application/json */
      415: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/unsupported-media-type",
           *       "title": "Unsupported media type",
           *       "status": 415,
           *       "detail": "Request bodies must be application/json, not text/plain",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description The `Idempotency-Key` was already used with a different request body */
      422: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/idempotency-key-reused",
           *       "title": "Idempotency key reused",
           *       "status": 422,
           *       "detail": "This Idempotency-Key was already used with a different request body. Send the original body to get its answer, or use a new key for a new request.",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Over a limit; retry after `Retry-After` seconds. `/problems/rate-limited` (requests per minute) or `/problems/quota-exceeded` (jobs per day, jobs in flight, open event streams): `violated-policies` names the limit. On POST /v1/jobs and POST /v1/batches also `/problems/budget-exhausted`: the job (the whole batch) does not fit in what is left of a monthly budget (`budget` says whose); `Retry-After` and `resetsAt` point at the reset. A batch is refused whole: `jobsRequested` with `jobsAvailable` or `estimatedUsd` and `remainingUsd`. */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/rate-limited",
           *       "title": "Too many requests",
           *       "status": 429,
           *       "detail": "Over 120 requests per minute; try again in 42 s.",
           *       "instance": "/v1/jobs",
           *       "violated-policies": [
           *         "requests-per-minute"
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description The model is misconfigured on the platform (its endpoint does not exist, or SageMaker rejects its requests). `jobId` names the job, left FAILED with ENDPOINT_NOT_FOUND or INFERENCE_REJECTED. Retrying will not help. */
      500: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/model-misconfigured",
           *       "title": "Model misconfigured",
           *       "status": 500,
           *       "detail": "The model stable-diffusion-xl is misconfigured on the platform: its SageMaker endpoint does not exist. The job was not started (job FAILED, ENDPOINT_NOT_FOUND).",
           *       "instance": "/v1/jobs",
           *       "jobId": "01JD0000000000000000000000"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description A dependency is unavailable; nothing was half-written. Retry after `Retry-After` seconds. On POST /v1/jobs, `jobId` names the job when it was recorded and left FAILED. */
      503: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/dependency-unavailable",
           *       "title": "Service temporarily unavailable",
           *       "status": 503,
           *       "detail": "DynamoDB is unavailable; try again shortly.",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
    };
  };
  getJob: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        jobId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobView'];
        };
      };
      /** @description Missing, invalid or expired Bearer token */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The access token is invalid or expired",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Authenticated, but not allowed: an API key without the scope the route needs (`detail` names it, `errors` has `scope`), an API key on a route that takes none (/v1/keys), or a parameter only administrators may use (`errors` names it) */
      403: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the scope jobs:write",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "scope",
           *           "message": "needs jobs:write; the key has jobs:read"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description No such job or API key, or not yours */
      404: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/not-found",
           *       "title": "Not found",
           *       "status": 404,
           *       "detail": "No job 01JD0000000000000000000000",
           *       "instance": "/v1/jobs/01JD0000000000000000000000"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Over a limit; retry after `Retry-After` seconds. `/problems/rate-limited` (requests per minute) or `/problems/quota-exceeded` (jobs per day, jobs in flight, open event streams): `violated-policies` names the limit. On POST /v1/jobs and POST /v1/batches also `/problems/budget-exhausted`: the job (the whole batch) does not fit in what is left of a monthly budget (`budget` says whose); `Retry-After` and `resetsAt` point at the reset. A batch is refused whole: `jobsRequested` with `jobsAvailable` or `estimatedUsd` and `remainingUsd`. */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/rate-limited",
           *       "title": "Too many requests",
           *       "status": 429,
           *       "detail": "Over 120 requests per minute; try again in 42 s.",
           *       "instance": "/v1/jobs",
           *       "violated-policies": [
           *         "requests-per-minute"
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description A dependency is unavailable; nothing was half-written. Retry after `Retry-After` seconds. On POST /v1/jobs, `jobId` names the job when it was recorded and left FAILED. */
      503: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/dependency-unavailable",
           *       "title": "Service temporarily unavailable",
           *       "status": 503,
           *       "detail": "DynamoDB is unavailable; try again shortly.",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
    };
  };
  deleteJob: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        jobId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted */
      204: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Missing, invalid or expired Bearer token */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The access token is invalid or expired",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Authenticated, but not allowed: an API key without the scope the route needs (`detail` names it, `errors` has `scope`), an API key on a route that takes none (/v1/keys), or a parameter only administrators may use (`errors` names it) */
      403: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the scope jobs:write",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "scope",
           *           "message": "needs jobs:write; the key has jobs:read"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description No such job or API key, or not yours */
      404: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/not-found",
           *       "title": "Not found",
           *       "status": 404,
           *       "detail": "No job 01JD0000000000000000000000",
           *       "instance": "/v1/jobs/01JD0000000000000000000000"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Over a limit; retry after `Retry-After` seconds. `/problems/rate-limited` (requests per minute) or `/problems/quota-exceeded` (jobs per day, jobs in flight, open event streams): `violated-policies` names the limit. On POST /v1/jobs and POST /v1/batches also `/problems/budget-exhausted`: the job (the whole batch) does not fit in what is left of a monthly budget (`budget` says whose); `Retry-After` and `resetsAt` point at the reset. A batch is refused whole: `jobsRequested` with `jobsAvailable` or `estimatedUsd` and `remainingUsd`. */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/rate-limited",
           *       "title": "Too many requests",
           *       "status": 429,
           *       "detail": "Over 120 requests per minute; try again in 42 s.",
           *       "instance": "/v1/jobs",
           *       "violated-policies": [
           *         "requests-per-minute"
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description A dependency is unavailable; nothing was half-written. Retry after `Retry-After` seconds. On POST /v1/jobs, `jobId` names the job when it was recorded and left FAILED. */
      503: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/dependency-unavailable",
           *       "title": "Service temporarily unavailable",
           *       "status": 503,
           *       "detail": "DynamoDB is unavailable; try again shortly.",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
    };
  };
  cancelJob: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        jobId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The job, CANCELED */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobView'];
        };
      };
      /** @description Invalid input; `errors` names each bad field */
      400: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/validation-error",
           *       "title": "Invalid request",
           *       "status": 400,
           *       "detail": "The request has 1 invalid field: width",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "width",
           *           "message": "width must be a multiple of 8 from 256 to 1536"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Missing, invalid or expired Bearer token */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The access token is invalid or expired",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Authenticated, but not allowed: an API key without the scope the route needs (`detail` names it, `errors` has `scope`), an API key on a route that takes none (/v1/keys), or a parameter only administrators may use (`errors` names it) */
      403: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the scope jobs:write",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "scope",
           *           "message": "needs jobs:write; the key has jobs:read"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description No such job or API key, or not yours */
      404: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/not-found",
           *       "title": "Not found",
           *       "status": 404,
           *       "detail": "No job 01JD0000000000000000000000",
           *       "instance": "/v1/jobs/01JD0000000000000000000000"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description The job is already final (SUCCEEDED, FAILED or TIMED_OUT): `jobStatus` says which */
      409: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/job-not-cancelable",
           *       "title": "Job not cancelable",
           *       "status": 409,
           *       "detail": "Job 01JD0000000000000000000000 is SUCCEEDED: only a QUEUED or RUNNING job can be canceled.",
           *       "instance": "/v1/jobs/01JD0000000000000000000000/cancel",
           *       "jobId": "01JD0000000000000000000000",
           *       "jobStatus": "SUCCEEDED"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Body over 8 KB */
      413: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/payload-too-large",
           *       "title": "Payload too large",
           *       "status": 413,
           *       "detail": "Request bodies are limited to 8192 bytes",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Body is not application/json */
      415: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/unsupported-media-type",
           *       "title": "Unsupported media type",
           *       "status": 415,
           *       "detail": "Request bodies must be application/json, not text/plain",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Over a limit; retry after `Retry-After` seconds. `/problems/rate-limited` (requests per minute) or `/problems/quota-exceeded` (jobs per day, jobs in flight, open event streams): `violated-policies` names the limit. On POST /v1/jobs and POST /v1/batches also `/problems/budget-exhausted`: the job (the whole batch) does not fit in what is left of a monthly budget (`budget` says whose); `Retry-After` and `resetsAt` point at the reset. A batch is refused whole: `jobsRequested` with `jobsAvailable` or `estimatedUsd` and `remainingUsd`. */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/rate-limited",
           *       "title": "Too many requests",
           *       "status": 429,
           *       "detail": "Over 120 requests per minute; try again in 42 s.",
           *       "instance": "/v1/jobs",
           *       "violated-policies": [
           *         "requests-per-minute"
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description A dependency is unavailable; nothing was half-written. Retry after `Retry-After` seconds. On POST /v1/jobs, `jobId` names the job when it was recorded and left FAILED. */
      503: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/dependency-unavailable",
           *       "title": "Service temporarily unavailable",
           *       "status": 503,
           *       "detail": "DynamoDB is unavailable; try again shortly.",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
    };
  };
  listBatches: {
    parameters: {
      query?: {
        limit?: number;
        /** @description The previous page’s nextCursor, as is: opaque, valid only for the same user */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BatchPageView'];
        };
      };
      /** @description Invalid input; `errors` names each bad field */
      400: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/validation-error",
           *       "title": "Invalid request",
           *       "status": 400,
           *       "detail": "The request has 1 invalid field: width",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "width",
           *           "message": "width must be a multiple of 8 from 256 to 1536"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Missing, invalid or expired Bearer token */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The access token is invalid or expired",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Authenticated, but not allowed: an API key without the scope the route needs (`detail` names it, `errors` has `scope`), an API key on a route that takes none (/v1/keys), or a parameter only administrators may use (`errors` names it) */
      403: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the scope jobs:write",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "scope",
           *           "message": "needs jobs:write; the key has jobs:read"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Over a limit; retry after `Retry-After` seconds. `/problems/rate-limited` (requests per minute) or `/problems/quota-exceeded` (jobs per day, jobs in flight, open event streams): `violated-policies` names the limit. On POST /v1/jobs and POST /v1/batches also `/problems/budget-exhausted`: the job (the whole batch) does not fit in what is left of a monthly budget (`budget` says whose); `Retry-After` and `resetsAt` point at the reset. A batch is refused whole: `jobsRequested` with `jobsAvailable` or `estimatedUsd` and `remainingUsd`. */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/rate-limited",
           *       "title": "Too many requests",
           *       "status": 429,
           *       "detail": "Over 120 requests per minute; try again in 42 s.",
           *       "instance": "/v1/jobs",
           *       "violated-policies": [
           *         "requests-per-minute"
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description A dependency is unavailable; nothing was half-written. Retry after `Retry-After` seconds. On POST /v1/jobs, `jobId` names the job when it was recorded and left FAILED. */
      503: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/dependency-unavailable",
           *       "title": "Service temporarily unavailable",
           *       "status": 503,
           *       "detail": "DynamoDB is unavailable; try again shortly.",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
    };
  };
  createBatch: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry (IETF httpapi Idempotency-Key draft): 1 to 255 visible ASCII characters, as a quoted Structured Fields string (`"8e03978e-40d5-43e8-bc93-6894a57f9324"`) or bare (`8e03978e-40d5-43e8-bc93-6894a57f9324`). Within 24 hours, the same key with the same body creates nothing new and returns the first answer with `Idempotent-Replayed: true`; with another body it is a 422; while the first request is still running, a 409. Keys are per user. An error answer is not kept: retrying with the same key runs the request again. */
        'Idempotency-Key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateBatchDto'];
      };
    };
    responses: {
      /** @description Submitted; poll `links.self` (also in `Location`) for the jobs’ states */
      202: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description The batch, as in `links.self` */
          Location: string;
          /** @description Present on a replayed answer: an earlier request with the same `Idempotency-Key` created the job */
          'Idempotent-Replayed'?: 'true';
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BatchAcceptedView'];
        };
      };
      /** @description Invalid input; `errors` names each bad field */
      400: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/validation-error",
           *       "title": "Invalid request",
           *       "status": 400,
           *       "detail": "The request has 1 invalid field: width",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "width",
           *           "message": "width must be a multiple of 8 from 256 to 1536"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Missing, invalid or expired Bearer token */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The access token is invalid or expired",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Authenticated, but not allowed: an API key without the scope the route needs (`detail` names it, `errors` has `scope`), an API key on a route that takes none (/v1/keys), or a parameter only administrators may use (`errors` names it) */
      403: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the scope jobs:write",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "scope",
           *           "message": "needs jobs:write; the key has jobs:read"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description A request with the same `Idempotency-Key` is still being processed. Retry the same request after `Retry-After` seconds to get its answer */
      409: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/idempotency-key-in-use",
           *       "title": "Idempotency key in use",
           *       "status": 409,
           *       "detail": "A request with this Idempotency-Key is still being processed. Retry the same request after Retry-After seconds to get its answer.",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Body over 8 KB */
      413: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/payload-too-large",
           *       "title": "Payload too large",
           *       "status": 413,
           *       "detail": "Request bodies are limited to 8192 bytes",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Body is not application/json */
      415: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/unsupported-media-type",
           *       "title": "Unsupported media type",
           *       "status": 415,
           *       "detail": "Request bodies must be application/json, not text/plain",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description The `Idempotency-Key` was already used with a different request body */
      422: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/idempotency-key-reused",
           *       "title": "Idempotency key reused",
           *       "status": 422,
           *       "detail": "This Idempotency-Key was already used with a different request body. Send the original body to get its answer, or use a new key for a new request.",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Over a limit; retry after `Retry-After` seconds. `/problems/rate-limited` (requests per minute) or `/problems/quota-exceeded` (jobs per day, jobs in flight, open event streams): `violated-policies` names the limit. On POST /v1/jobs and POST /v1/batches also `/problems/budget-exhausted`: the job (the whole batch) does not fit in what is left of a monthly budget (`budget` says whose); `Retry-After` and `resetsAt` point at the reset. A batch is refused whole: `jobsRequested` with `jobsAvailable` or `estimatedUsd` and `remainingUsd`. */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/rate-limited",
           *       "title": "Too many requests",
           *       "status": 429,
           *       "detail": "Over 120 requests per minute; try again in 42 s.",
           *       "instance": "/v1/jobs",
           *       "violated-policies": [
           *         "requests-per-minute"
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description A dependency is unavailable; nothing was half-written. Retry after `Retry-After` seconds. On POST /v1/jobs, `jobId` names the job when it was recorded and left FAILED. */
      503: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/dependency-unavailable",
           *       "title": "Service temporarily unavailable",
           *       "status": 503,
           *       "detail": "DynamoDB is unavailable; try again shortly.",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
    };
  };
  getBatch: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        batchId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BatchView'];
        };
      };
      /** @description Missing, invalid or expired Bearer token */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The access token is invalid or expired",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Authenticated, but not allowed: an API key without the scope the route needs (`detail` names it, `errors` has `scope`), an API key on a route that takes none (/v1/keys), or a parameter only administrators may use (`errors` names it) */
      403: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the scope jobs:write",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "scope",
           *           "message": "needs jobs:write; the key has jobs:read"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description No such job or API key, or not yours */
      404: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/not-found",
           *       "title": "Not found",
           *       "status": 404,
           *       "detail": "No job 01JD0000000000000000000000",
           *       "instance": "/v1/jobs/01JD0000000000000000000000"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Over a limit; retry after `Retry-After` seconds. `/problems/rate-limited` (requests per minute) or `/problems/quota-exceeded` (jobs per day, jobs in flight, open event streams): `violated-policies` names the limit. On POST /v1/jobs and POST /v1/batches also `/problems/budget-exhausted`: the job (the whole batch) does not fit in what is left of a monthly budget (`budget` says whose); `Retry-After` and `resetsAt` point at the reset. A batch is refused whole: `jobsRequested` with `jobsAvailable` or `estimatedUsd` and `remainingUsd`. */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/rate-limited",
           *       "title": "Too many requests",
           *       "status": 429,
           *       "detail": "Over 120 requests per minute; try again in 42 s.",
           *       "instance": "/v1/jobs",
           *       "violated-policies": [
           *         "requests-per-minute"
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description A dependency is unavailable; nothing was half-written. Retry after `Retry-After` seconds. On POST /v1/jobs, `jobId` names the job when it was recorded and left FAILED. */
      503: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/dependency-unavailable",
           *       "title": "Service temporarily unavailable",
           *       "status": 503,
           *       "detail": "DynamoDB is unavailable; try again shortly.",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
    };
  };
  estimateJob: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateJobDto'];
      };
    };
    responses: {
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobEstimateView'];
        };
      };
      /** @description Invalid input; `errors` names each bad field */
      400: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/validation-error",
           *       "title": "Invalid request",
           *       "status": 400,
           *       "detail": "The request has 1 invalid field: width",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "width",
           *           "message": "width must be a multiple of 8 from 256 to 1536"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Missing, invalid or expired Bearer token */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The access token is invalid or expired",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Authenticated, but not allowed: an API key without the scope the route needs (`detail` names it, `errors` has `scope`), an API key on a route that takes none (/v1/keys), or a parameter only administrators may use (`errors` names it) */
      403: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the scope jobs:write",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "scope",
           *           "message": "needs jobs:write; the key has jobs:read"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Body over 8 KB */
      413: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/payload-too-large",
           *       "title": "Payload too large",
           *       "status": 413,
           *       "detail": "Request bodies are limited to 8192 bytes",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Body is not application/json */
      415: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/unsupported-media-type",
           *       "title": "Unsupported media type",
           *       "status": 415,
           *       "detail": "Request bodies must be application/json, not text/plain",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Over a limit; retry after `Retry-After` seconds. `/problems/rate-limited` (requests per minute) or `/problems/quota-exceeded` (jobs per day, jobs in flight, open event streams): `violated-policies` names the limit. On POST /v1/jobs and POST /v1/batches also `/problems/budget-exhausted`: the job (the whole batch) does not fit in what is left of a monthly budget (`budget` says whose); `Retry-After` and `resetsAt` point at the reset. A batch is refused whole: `jobsRequested` with `jobsAvailable` or `estimatedUsd` and `remainingUsd`. */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/rate-limited",
           *       "title": "Too many requests",
           *       "status": 429,
           *       "detail": "Over 120 requests per minute; try again in 42 s.",
           *       "instance": "/v1/jobs",
           *       "violated-policies": [
           *         "requests-per-minute"
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description A dependency is unavailable; nothing was half-written. Retry after `Retry-After` seconds. On POST /v1/jobs, `jobId` names the job when it was recorded and left FAILED. */
      503: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/dependency-unavailable",
           *       "title": "Service temporarily unavailable",
           *       "status": 503,
           *       "detail": "DynamoDB is unavailable; try again shortly.",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
    };
  };
  getUsage: {
    parameters: {
      query?: {
        /** @description Default: this month (UTC) */
        month?: string;
        /** @description Admins: how many users per page of the breakdown */
        limit?: number;
        /** @description Admins: the previous answer’s `users.nextCursor`, as is */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['UsageView'];
        };
      };
      /** @description Invalid input; `errors` names each bad field */
      400: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/validation-error",
           *       "title": "Invalid request",
           *       "status": 400,
           *       "detail": "The request has 1 invalid field: width",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "width",
           *           "message": "width must be a multiple of 8 from 256 to 1536"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Missing, invalid or expired Bearer token */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The access token is invalid or expired",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Authenticated, but not allowed: an API key without the scope the route needs (`detail` names it, `errors` has `scope`), an API key on a route that takes none (/v1/keys), or a parameter only administrators may use (`errors` names it) */
      403: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the scope jobs:write",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "scope",
           *           "message": "needs jobs:write; the key has jobs:read"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Over a limit; retry after `Retry-After` seconds. `/problems/rate-limited` (requests per minute) or `/problems/quota-exceeded` (jobs per day, jobs in flight, open event streams): `violated-policies` names the limit. On POST /v1/jobs and POST /v1/batches also `/problems/budget-exhausted`: the job (the whole batch) does not fit in what is left of a monthly budget (`budget` says whose); `Retry-After` and `resetsAt` point at the reset. A batch is refused whole: `jobsRequested` with `jobsAvailable` or `estimatedUsd` and `remainingUsd`. */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/rate-limited",
           *       "title": "Too many requests",
           *       "status": 429,
           *       "detail": "Over 120 requests per minute; try again in 42 s.",
           *       "instance": "/v1/jobs",
           *       "violated-policies": [
           *         "requests-per-minute"
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description A dependency is unavailable; nothing was half-written. Retry after `Retry-After` seconds. On POST /v1/jobs, `jobId` names the job when it was recorded and left FAILED. */
      503: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/dependency-unavailable",
           *       "title": "Service temporarily unavailable",
           *       "status": 503,
           *       "detail": "DynamoDB is unavailable; try again shortly.",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
    };
  };
  exportUsage: {
    parameters: {
      query?: {
        /** @description The month (UTC) whose jobs to export: jobs count in the month they were created in. Default: this month */
        month?: string;
        /** @description `json`: NDJSON (application/x-ndjson), `csv`: RFC 4180 CSV (text/csv) as a download */
        format?: 'csv' | 'json';
        /** @description Administrators only (403 for anyone else): export this user’s jobs. Without it an administrator’s export covers every user with usage in the month; anyone else’s covers their own jobs. The user id is the token’s `sub`. */
        owner?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The month’s jobs, oldest first per user (users in id order) */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Announces the `X-Export-Rows` trailer: the number of job rows, sent after the last chunk of a complete export */
          Trailer?: string;
          /** @description CSV only: `attachment; filename="imggen-usage-<month>.csv"` */
          'Content-Disposition'?: string;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          'application/x-ndjson':
            components['schemas']['UsageExportRowView'] | components['schemas']['UsageExportEndView'];
          /**
           * @example jobId,ownerId,apiKeyId,modelId,status,gpuSeconds,usd,createdAt,finalizedAt,queueMs,inferenceMs,totalMs
           *     01JD0000000000000000000000,b5d0c8f4-0000-5000-8000-000000000001,,stable-diffusion-xl,SUCCEEDED,9.402,0.003678,2026-11-26T12:00:00.000Z,2026-11-26T12:00:10.020Z,120,9402,10020
           */
          'text/csv': string;
        };
      };
      /** @description Invalid input; `errors` names each bad field */
      400: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/validation-error",
           *       "title": "Invalid request",
           *       "status": 400,
           *       "detail": "The request has 1 invalid field: width",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "width",
           *           "message": "width must be a multiple of 8 from 256 to 1536"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Missing, invalid or expired Bearer token */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The access token is invalid or expired",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Authenticated, but not allowed: an API key without the scope the route needs (`detail` names it, `errors` has `scope`), an API key on a route that takes none (/v1/keys), or a parameter only administrators may use (`errors` names it) */
      403: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the scope jobs:write",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "scope",
           *           "message": "needs jobs:write; the key has jobs:read"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Over a limit; retry after `Retry-After` seconds. `/problems/rate-limited` (requests per minute) or `/problems/quota-exceeded` (jobs per day, jobs in flight, open event streams): `violated-policies` names the limit. On POST /v1/jobs and POST /v1/batches also `/problems/budget-exhausted`: the job (the whole batch) does not fit in what is left of a monthly budget (`budget` says whose); `Retry-After` and `resetsAt` point at the reset. A batch is refused whole: `jobsRequested` with `jobsAvailable` or `estimatedUsd` and `remainingUsd`. */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/rate-limited",
           *       "title": "Too many requests",
           *       "status": 429,
           *       "detail": "Over 120 requests per minute; try again in 42 s.",
           *       "instance": "/v1/jobs",
           *       "violated-policies": [
           *         "requests-per-minute"
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description A dependency is unavailable; nothing was half-written. Retry after `Retry-After` seconds. On POST /v1/jobs, `jobId` names the job when it was recorded and left FAILED. */
      503: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/dependency-unavailable",
           *       "title": "Service temporarily unavailable",
           *       "status": 503,
           *       "detail": "DynamoDB is unavailable; try again shortly.",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
    };
  };
  listApiKeys: {
    parameters: {
      query?: {
        limit?: number;
        /** @description The previous page’s nextCursor, as is: opaque, valid only for you */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiKeyPageView'];
        };
      };
      /** @description Invalid input; `errors` names each bad field */
      400: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/validation-error",
           *       "title": "Invalid request",
           *       "status": 400,
           *       "detail": "The request has 1 invalid field: width",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "width",
           *           "message": "width must be a multiple of 8 from 256 to 1536"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Missing, invalid or expired Bearer token */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The access token is invalid or expired",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Authenticated, but not allowed: an API key without the scope the route needs (`detail` names it, `errors` has `scope`), an API key on a route that takes none (/v1/keys), or a parameter only administrators may use (`errors` names it) */
      403: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the scope jobs:write",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "scope",
           *           "message": "needs jobs:write; the key has jobs:read"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Over a limit; retry after `Retry-After` seconds. `/problems/rate-limited` (requests per minute) or `/problems/quota-exceeded` (jobs per day, jobs in flight, open event streams): `violated-policies` names the limit. On POST /v1/jobs and POST /v1/batches also `/problems/budget-exhausted`: the job (the whole batch) does not fit in what is left of a monthly budget (`budget` says whose); `Retry-After` and `resetsAt` point at the reset. A batch is refused whole: `jobsRequested` with `jobsAvailable` or `estimatedUsd` and `remainingUsd`. */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/rate-limited",
           *       "title": "Too many requests",
           *       "status": 429,
           *       "detail": "Over 120 requests per minute; try again in 42 s.",
           *       "instance": "/v1/jobs",
           *       "violated-policies": [
           *         "requests-per-minute"
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description A dependency is unavailable; nothing was half-written. Retry after `Retry-After` seconds. On POST /v1/jobs, `jobId` names the job when it was recorded and left FAILED. */
      503: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/dependency-unavailable",
           *       "title": "Service temporarily unavailable",
           *       "status": 503,
           *       "detail": "DynamoDB is unavailable; try again shortly.",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
    };
  };
  createApiKey: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateApiKeyDto'];
      };
    };
    responses: {
      /** @description Created; the key is in `key`, shown only now */
      201: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description The key’s id under /v1/keys (DELETE it to revoke the key) */
          Location: string;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CreatedApiKeyView'];
        };
      };
      /** @description Invalid input; `errors` names each bad field */
      400: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/validation-error",
           *       "title": "Invalid request",
           *       "status": 400,
           *       "detail": "The request has 1 invalid field: width",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "width",
           *           "message": "width must be a multiple of 8 from 256 to 1536"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Missing, invalid or expired Bearer token */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The access token is invalid or expired",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Authenticated, but not allowed: an API key without the scope the route needs (`detail` names it, `errors` has `scope`), an API key on a route that takes none (/v1/keys), or a parameter only administrators may use (`errors` names it) */
      403: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the scope jobs:write",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "scope",
           *           "message": "needs jobs:write; the key has jobs:read"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Body over 8 KB */
      413: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/payload-too-large",
           *       "title": "Payload too large",
           *       "status": 413,
           *       "detail": "Request bodies are limited to 8192 bytes",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Body is not application/json */
      415: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/unsupported-media-type",
           *       "title": "Unsupported media type",
           *       "status": 415,
           *       "detail": "Request bodies must be application/json, not text/plain",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Over a limit; retry after `Retry-After` seconds. `/problems/rate-limited` (requests per minute) or `/problems/quota-exceeded` (jobs per day, jobs in flight, open event streams): `violated-policies` names the limit. On POST /v1/jobs and POST /v1/batches also `/problems/budget-exhausted`: the job (the whole batch) does not fit in what is left of a monthly budget (`budget` says whose); `Retry-After` and `resetsAt` point at the reset. A batch is refused whole: `jobsRequested` with `jobsAvailable` or `estimatedUsd` and `remainingUsd`. */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/rate-limited",
           *       "title": "Too many requests",
           *       "status": 429,
           *       "detail": "Over 120 requests per minute; try again in 42 s.",
           *       "instance": "/v1/jobs",
           *       "violated-policies": [
           *         "requests-per-minute"
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description A dependency is unavailable; nothing was half-written. Retry after `Retry-After` seconds. On POST /v1/jobs, `jobId` names the job when it was recorded and left FAILED. */
      503: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/dependency-unavailable",
           *       "title": "Service temporarily unavailable",
           *       "status": 503,
           *       "detail": "DynamoDB is unavailable; try again shortly.",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
    };
  };
  revokeApiKey: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        keyId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Revoked */
      204: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Missing, invalid or expired Bearer token */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The access token is invalid or expired",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Authenticated, but not allowed: an API key without the scope the route needs (`detail` names it, `errors` has `scope`), an API key on a route that takes none (/v1/keys), or a parameter only administrators may use (`errors` names it) */
      403: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the scope jobs:write",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "scope",
           *           "message": "needs jobs:write; the key has jobs:read"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description No such job or API key, or not yours */
      404: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/not-found",
           *       "title": "Not found",
           *       "status": 404,
           *       "detail": "No job 01JD0000000000000000000000",
           *       "instance": "/v1/jobs/01JD0000000000000000000000"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Over a limit; retry after `Retry-After` seconds. `/problems/rate-limited` (requests per minute) or `/problems/quota-exceeded` (jobs per day, jobs in flight, open event streams): `violated-policies` names the limit. On POST /v1/jobs and POST /v1/batches also `/problems/budget-exhausted`: the job (the whole batch) does not fit in what is left of a monthly budget (`budget` says whose); `Retry-After` and `resetsAt` point at the reset. A batch is refused whole: `jobsRequested` with `jobsAvailable` or `estimatedUsd` and `remainingUsd`. */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/rate-limited",
           *       "title": "Too many requests",
           *       "status": 429,
           *       "detail": "Over 120 requests per minute; try again in 42 s.",
           *       "instance": "/v1/jobs",
           *       "violated-policies": [
           *         "requests-per-minute"
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description A dependency is unavailable; nothing was half-written. Retry after `Retry-After` seconds. On POST /v1/jobs, `jobId` names the job when it was recorded and left FAILED. */
      503: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/dependency-unavailable",
           *       "title": "Service temporarily unavailable",
           *       "status": 503,
           *       "detail": "DynamoDB is unavailable; try again shortly.",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
    };
  };
  getWebhookSecret: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookSecretView'];
        };
      };
      /** @description Missing, invalid or expired Bearer token */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The access token is invalid or expired",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Authenticated, but not allowed: an API key without the scope the route needs (`detail` names it, `errors` has `scope`), an API key on a route that takes none (/v1/keys), or a parameter only administrators may use (`errors` names it) */
      403: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the scope jobs:write",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "scope",
           *           "message": "needs jobs:write; the key has jobs:read"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Over a limit; retry after `Retry-After` seconds. `/problems/rate-limited` (requests per minute) or `/problems/quota-exceeded` (jobs per day, jobs in flight, open event streams): `violated-policies` names the limit. On POST /v1/jobs and POST /v1/batches also `/problems/budget-exhausted`: the job (the whole batch) does not fit in what is left of a monthly budget (`budget` says whose); `Retry-After` and `resetsAt` point at the reset. A batch is refused whole: `jobsRequested` with `jobsAvailable` or `estimatedUsd` and `remainingUsd`. */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/rate-limited",
           *       "title": "Too many requests",
           *       "status": 429,
           *       "detail": "Over 120 requests per minute; try again in 42 s.",
           *       "instance": "/v1/jobs",
           *       "violated-policies": [
           *         "requests-per-minute"
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description A dependency is unavailable; nothing was half-written. Retry after `Retry-After` seconds. On POST /v1/jobs, `jobId` names the job when it was recorded and left FAILED. */
      503: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/dependency-unavailable",
           *       "title": "Service temporarily unavailable",
           *       "status": 503,
           *       "detail": "DynamoDB is unavailable; try again shortly.",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
    };
  };
  rotateWebhookSecret: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookSecretView'];
        };
      };
      /** @description Missing, invalid or expired Bearer token */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The access token is invalid or expired",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Authenticated, but not allowed: an API key without the scope the route needs (`detail` names it, `errors` has `scope`), an API key on a route that takes none (/v1/keys), or a parameter only administrators may use (`errors` names it) */
      403: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the scope jobs:write",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "scope",
           *           "message": "needs jobs:write; the key has jobs:read"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Over a limit; retry after `Retry-After` seconds. `/problems/rate-limited` (requests per minute) or `/problems/quota-exceeded` (jobs per day, jobs in flight, open event streams): `violated-policies` names the limit. On POST /v1/jobs and POST /v1/batches also `/problems/budget-exhausted`: the job (the whole batch) does not fit in what is left of a monthly budget (`budget` says whose); `Retry-After` and `resetsAt` point at the reset. A batch is refused whole: `jobsRequested` with `jobsAvailable` or `estimatedUsd` and `remainingUsd`. */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/rate-limited",
           *       "title": "Too many requests",
           *       "status": 429,
           *       "detail": "Over 120 requests per minute; try again in 42 s.",
           *       "instance": "/v1/jobs",
           *       "violated-policies": [
           *         "requests-per-minute"
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description A dependency is unavailable; nothing was half-written. Retry after `Retry-After` seconds. On POST /v1/jobs, `jobId` names the job when it was recorded and left FAILED. */
      503: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/dependency-unavailable",
           *       "title": "Service temporarily unavailable",
           *       "status": 503,
           *       "detail": "DynamoDB is unavailable; try again shortly.",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
    };
  };
  listWebhookDeliveries: {
    parameters: {
      query?: {
        limit?: number;
        /** @description The previous page’s nextCursor, as is */
        cursor?: string;
      };
      header?: never;
      path: {
        jobId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookDeliveryPageView'];
        };
      };
      /** @description Invalid input; `errors` names each bad field */
      400: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/validation-error",
           *       "title": "Invalid request",
           *       "status": 400,
           *       "detail": "The request has 1 invalid field: width",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "width",
           *           "message": "width must be a multiple of 8 from 256 to 1536"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Missing, invalid or expired Bearer token */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The access token is invalid or expired",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Authenticated, but not allowed: an API key without the scope the route needs (`detail` names it, `errors` has `scope`), an API key on a route that takes none (/v1/keys), or a parameter only administrators may use (`errors` names it) */
      403: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the scope jobs:write",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "scope",
           *           "message": "needs jobs:write; the key has jobs:read"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description No such job or API key, or not yours */
      404: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/not-found",
           *       "title": "Not found",
           *       "status": 404,
           *       "detail": "No job 01JD0000000000000000000000",
           *       "instance": "/v1/jobs/01JD0000000000000000000000"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Over a limit; retry after `Retry-After` seconds. `/problems/rate-limited` (requests per minute) or `/problems/quota-exceeded` (jobs per day, jobs in flight, open event streams): `violated-policies` names the limit. On POST /v1/jobs and POST /v1/batches also `/problems/budget-exhausted`: the job (the whole batch) does not fit in what is left of a monthly budget (`budget` says whose); `Retry-After` and `resetsAt` point at the reset. A batch is refused whole: `jobsRequested` with `jobsAvailable` or `estimatedUsd` and `remainingUsd`. */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/rate-limited",
           *       "title": "Too many requests",
           *       "status": 429,
           *       "detail": "Over 120 requests per minute; try again in 42 s.",
           *       "instance": "/v1/jobs",
           *       "violated-policies": [
           *         "requests-per-minute"
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description A dependency is unavailable; nothing was half-written. Retry after `Retry-After` seconds. On POST /v1/jobs, `jobId` names the job when it was recorded and left FAILED. */
      503: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/dependency-unavailable",
           *       "title": "Service temporarily unavailable",
           *       "status": 503,
           *       "detail": "DynamoDB is unavailable; try again shortly.",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
    };
  };
  redeliverWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        jobId: string;
        deliveryId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Queued; follow its attempts in the delivery log (also in `Location`) */
      202: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description The job’s delivery log */
          Location: string;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookRedeliveryView'];
        };
      };
      /** @description Missing, invalid or expired Bearer token */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The access token is invalid or expired",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Authenticated, but not allowed: an API key without the scope the route needs (`detail` names it, `errors` has `scope`), an API key on a route that takes none (/v1/keys), or a parameter only administrators may use (`errors` names it) */
      403: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the scope jobs:write",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "scope",
           *           "message": "needs jobs:write; the key has jobs:read"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description No such job or API key, or not yours */
      404: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/not-found",
           *       "title": "Not found",
           *       "status": 404,
           *       "detail": "No job 01JD0000000000000000000000",
           *       "instance": "/v1/jobs/01JD0000000000000000000000"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Over a limit; retry after `Retry-After` seconds. `/problems/rate-limited` (requests per minute) or `/problems/quota-exceeded` (jobs per day, jobs in flight, open event streams): `violated-policies` names the limit. On POST /v1/jobs and POST /v1/batches also `/problems/budget-exhausted`: the job (the whole batch) does not fit in what is left of a monthly budget (`budget` says whose); `Retry-After` and `resetsAt` point at the reset. A batch is refused whole: `jobsRequested` with `jobsAvailable` or `estimatedUsd` and `remainingUsd`. */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/rate-limited",
           *       "title": "Too many requests",
           *       "status": 429,
           *       "detail": "Over 120 requests per minute; try again in 42 s.",
           *       "instance": "/v1/jobs",
           *       "violated-policies": [
           *         "requests-per-minute"
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description A dependency is unavailable; nothing was half-written. Retry after `Retry-After` seconds. On POST /v1/jobs, `jobId` names the job when it was recorded and left FAILED. */
      503: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/dependency-unavailable",
           *       "title": "Service temporarily unavailable",
           *       "status": 503,
           *       "detail": "DynamoDB is unavailable; try again shortly.",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
    };
  };
  listModels: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ModelListView'];
        };
      };
      /** @description Missing, invalid or expired Bearer token */
      401: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "The access token is invalid or expired",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Authenticated, but not allowed: an API key without the scope the route needs (`detail` names it, `errors` has `scope`), an API key on a route that takes none (/v1/keys), or a parameter only administrators may use (`errors` names it) */
      403: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the scope jobs:write",
           *       "instance": "/v1/jobs",
           *       "errors": [
           *         {
           *           "field": "scope",
           *           "message": "needs jobs:write; the key has jobs:read"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description Over a limit; retry after `Retry-After` seconds. `/problems/rate-limited` (requests per minute) or `/problems/quota-exceeded` (jobs per day, jobs in flight, open event streams): `violated-policies` names the limit. On POST /v1/jobs and POST /v1/batches also `/problems/budget-exhausted`: the job (the whole batch) does not fit in what is left of a monthly budget (`budget` says whose); `Retry-After` and `resetsAt` point at the reset. A batch is refused whole: `jobsRequested` with `jobsAvailable` or `estimatedUsd` and `remainingUsd`. */
      429: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/rate-limited",
           *       "title": "Too many requests",
           *       "status": 429,
           *       "detail": "Over 120 requests per minute; try again in 42 s.",
           *       "instance": "/v1/jobs",
           *       "violated-policies": [
           *         "requests-per-minute"
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
      /** @description A dependency is unavailable; nothing was half-written. Retry after `Retry-After` seconds. On POST /v1/jobs, `jobId` names the job when it was recorded and left FAILED. */
      503: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          /** @description Seconds to wait before trying again */
          'Retry-After': number;
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          RateLimit: components['headers']['RateLimit'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "/problems/dependency-unavailable",
           *       "title": "Service temporarily unavailable",
           *       "status": 503,
           *       "detail": "DynamoDB is unavailable; try again shortly.",
           *       "instance": "/v1/jobs"
           *     }
           */
          'application/problem+json': components['schemas']['ProblemView'];
        };
      };
    };
  };
  getLiveness: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The process is up */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            status: 'ok';
          };
        };
      };
    };
  };
  getReadiness: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Every dependency answers */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            status: 'ok';
            /**
             * @example {
             *       "dynamodb": {
             *         "status": "up"
             *       }
             *     }
             */
            info?: {
              [key: string]: {
                /** @enum {string} */
                status: 'up' | 'down';
              };
            };
            /**
             * @example {
             *       "dynamodb": {
             *         "status": "up"
             *       }
             *     }
             */
            error?: {
              [key: string]: {
                /** @enum {string} */
                status: 'up' | 'down';
              };
            };
            /**
             * @example {
             *       "dynamodb": {
             *         "status": "up"
             *       }
             *     }
             */
            details: {
              [key: string]: {
                /** @enum {string} */
                status: 'up' | 'down';
              };
            };
          };
        };
      };
      /** @description A dependency does not answer */
      503: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            status: 'error' | 'shutting_down';
            /**
             * @example {
             *       "dynamodb": {
             *         "status": "up"
             *       }
             *     }
             */
            info?: {
              [key: string]: {
                /** @enum {string} */
                status: 'up' | 'down';
              };
            };
            /**
             * @example {
             *       "dynamodb": {
             *         "status": "up"
             *       }
             *     }
             */
            error?: {
              [key: string]: {
                /** @enum {string} */
                status: 'up' | 'down';
              };
            };
            /**
             * @example {
             *       "dynamodb": {
             *         "status": "up"
             *       }
             *     }
             */
            details: {
              [key: string]: {
                /** @enum {string} */
                status: 'up' | 'down';
              };
            };
          };
        };
      };
    };
  };
}
