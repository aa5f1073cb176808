import { z } from 'zod';
import { type Env, parseEnv, positiveIntFromEnv } from '#libs/config';

export interface EventsConfig {
  /** A comment line on every open stream this often, so proxies and clients see it alive. */
  heartbeatMs: number;
  /** How often an api instance reads a watched job (one GetItem per job, shared by its streams) or a user's changes. */
  pollMs: number;
  /** Open streams per user, on all api instances together; one more is a 429. */
  maxStreamsPerUser: number;
  /**
   * The per-user stream reads changes written up to this long before its last read too: writers' clocks (api,
   * worker) may lag each other, and a change stamped a little in the past must not be missed.
   */
  lookbackMs: number;
}

export const DEFAULT_EVENTS: EventsConfig = {
  heartbeatMs: 15_000,
  pollMs: 1000,
  maxStreamsPerUser: 5,
  lookbackMs: 5000,
};

const eventsEnvSchema = z.object({
  EVENTS_HEARTBEAT_MS: positiveIntFromEnv.max(300_000).default(DEFAULT_EVENTS.heartbeatMs),
  EVENTS_POLL_MS: positiveIntFromEnv.min(50).max(60_000).default(DEFAULT_EVENTS.pollMs),
  EVENTS_MAX_STREAMS_PER_USER: positiveIntFromEnv.max(1000).default(DEFAULT_EVENTS.maxStreamsPerUser),
  EVENTS_LOOKBACK_MS: positiveIntFromEnv.max(600_000).default(DEFAULT_EVENTS.lookbackMs),
});

export function loadEventsConfig(env: Env): EventsConfig {
  const parsed = parseEnv(eventsEnvSchema, env);
  return {
    heartbeatMs: parsed.EVENTS_HEARTBEAT_MS,
    pollMs: parsed.EVENTS_POLL_MS,
    maxStreamsPerUser: parsed.EVENTS_MAX_STREAMS_PER_USER,
    lookbackMs: parsed.EVENTS_LOOKBACK_MS,
  };
}
