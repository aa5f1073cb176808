/**
 * Webhook events (issue 8). A job with a `webhookUrl` gets one event per chosen state change; `completed` means any
 * final state. Each event has a stable id, so a repeated notification or a retry carries the same `webhook-id`.
 */
export const WEBHOOK_EVENT_KINDS = ['queued', 'running', 'progress', 'completed'] as const;
export type WebhookEventKind = (typeof WEBHOOK_EVENT_KINDS)[number];

/** What a job with a webhookUrl and no webhookEvents is told about. */
export const DEFAULT_WEBHOOK_EVENTS: readonly WebhookEventKind[] = ['completed'];

/** The longest webhookUrl accepted. */
export const WEBHOOK_URL_MAX_LENGTH = 2048;

/**
 * The event's id, which is also its `webhook-id` and its delivery id: `<jobId>.<kind>`, plus `.<n>` for the events
 * a job can have several of (`progress`: the step; `running`: the job's version where there is one).
 */
export function webhookEventId(jobId: string, kind: WebhookEventKind, sequence?: number): string {
  return sequence === undefined ? `${jobId}.${kind}` : `${jobId}.${kind}.${sequence}`;
}

/** The job id a delivery id belongs to (undefined when it is not one of ours). */
export function parseWebhookEventId(eventId: string): { jobId: string; kind: WebhookEventKind } | undefined {
  const match = /^([0-9A-HJKMNP-TV-Z]{26})\.(queued|running|progress|completed)(?:\.\d{1,10})?$/.exec(eventId);
  return match ? { jobId: match[1]!, kind: match[2] as WebhookEventKind } : undefined;
}
