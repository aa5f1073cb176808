import proxyAddr from '@fastify/proxy-addr';
import { z } from 'zod';
import {
  type AppEnvironment,
  ConfigValidationError,
  type Env,
  loadPlatformConfig,
  parseEnv,
  type PlatformConfig,
  portFromEnv,
  nonNegativeIntFromEnv,
  positiveIntFromEnv,
} from '#libs/config';
import { loadWebhooksConfig, type WebhooksConfig } from '#libs/webhooks';
import { MIN_CURSOR_SECRET_LENGTH } from '../jobs/job-cursor.js';
import { type BatchesConfig, loadBatchesConfig } from '../batches/batches.config.js';
import { MIN_API_KEYS_SECRET_LENGTH } from '../keys/api-key-hasher.js';
import { type IdempotencyConfig, loadIdempotencyConfig } from '../idempotency/idempotency.config.js';
import { type JobLifetimeConfig, loadJobLifetimeConfig } from '../jobs/lifetime/job-lifetime.config.js';
import { type LimitsConfig, loadLimitsConfig } from './limits.config.js';
import { type EventsConfig, loadEventsConfig } from '../events/events.config.js';
import { loadProgressConfig, type ProgressConfig } from '../progress/progress.config.js';

export interface AuthConfig {
  /** Token issuer; Cognito's is derived from the user pool id. */
  issuer?: string;
  jwksUri?: string;
  /** Cognito user pool id (e.g. eu-west-1_AbC123): selects aws-jwt-verify's Cognito verifier. */
  userPoolId?: string;
  /** App client id every token must carry (`client_id` on access tokens). */
  clientId: string;
}

export interface HttpConfig {
  host: string;
  port: number;
  bodyLimitBytes: number;
  /** Browser origins allowed to call the api (CORS); empty: none. */
  corsOrigins: string[];
  /** How many proxies in front of the api append to X-Forwarded-For (the ALB: 1); 0 believes none. */
  trustProxyHops: number;
  /** Addresses (IPs, CIDRs or proxy-addr's names such as `uniquelocal`) those proxies connect from. */
  trustedProxies: string[];
}

export interface ApiConfig extends PlatformConfig {
  auth: AuthConfig;
  http: HttpConfig;
  images: { urlTtlSeconds: number };
  /** HMAC key of the `GET /v1/jobs` cursors. */
  jobs: { cursorSecret: string };
  limits: LimitsConfig;
  idempotency: IdempotencyConfig;
  batches: BatchesConfig;
  apiKeys: ApiKeysConfig;
  /** Every job's deadline and retention. */
  lifetime: JobLifetimeConfig;
  progress: ProgressConfig;
  events: EventsConfig;
  webhooks: WebhooksConfig;
}

export interface ApiKeysConfig {
  /** HMAC key of the stored API key hashes (and of the `GET /v1/keys` cursors). */
  secret: string;
  /** How long an instance trusts what it read about a key: the bound on a revocation reaching every instance. */
  cacheTtlMs: number;
}

/** Signs cursors when APP_ENV is local or test and JOBS_CURSOR_SECRET is unset; refused in AWS. */
export const DEV_JOBS_CURSOR_SECRET = 'imggen-dev-cursor-secret-not-for-aws';

/** Hashes API keys when APP_ENV is local or test and API_KEYS_SECRET is unset; refused in AWS. */
export const DEV_API_KEYS_SECRET = 'imggen-dev-api-keys-secret-not-for-aws';

export const API_CONFIG = Symbol('API_CONFIG');

/** The local dashboard (vite), the default browser origin outside AWS. */
const LOCAL_DASHBOARD_ORIGINS = ['http://127.0.0.1:5173', 'http://localhost:5173'];

/** An ALB reaches its targets from private VPC addresses. */
const DEFAULT_TRUSTED_PROXIES = ['loopback', 'uniquelocal'];

const commaSeparated = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);

function isProxyAddress(address: string): boolean {
  try {
    proxyAddr.compile(address);
    return true;
  } catch {
    return false;
  }
}

/** A comma-separated list of origins, each exactly scheme://host[:port] as a browser sends it. */
const originsFromEnv = commaSeparated.pipe(
  z.array(
    z.string().refine((origin) => URL.canParse(origin) && new URL(origin).origin === origin, {
      error: (issue) => `${String(issue.input)} is not an origin like https://app.example.com (no path or slash)`,
    }),
  ),
);

const apiEnvSchema = z
  .object({
    API_HOST: z.string().min(1).default('0.0.0.0'),
    API_PORT: portFromEnv.default(3000),
    // AWS WAF's common rule set blocks bodies over 8 KB behind an ALB; refuse them here first, with a clear answer.
    API_BODY_LIMIT_BYTES: positiveIntFromEnv.max(8192).default(8192),
    AUTH_ISSUER: z.url().optional(),
    AUTH_JWKS_URI: z.url().optional(),
    AUTH_COGNITO_USER_POOL_ID: z
      .string()
      .regex(/^[a-z]{2}-(gov-)?[a-z]+-\d_[a-zA-Z0-9]+$/, 'must look like <region>_<id>')
      .optional(),
    AUTH_CLIENT_ID: z.string().min(1),
    IMAGES_URL_TTL_SECONDS: positiveIntFromEnv.max(3600).default(900),
    JOBS_CURSOR_SECRET: z
      .string()
      .min(MIN_CURSOR_SECRET_LENGTH, `must be at least ${MIN_CURSOR_SECRET_LENGTH} characters`)
      .optional(),
    API_KEYS_SECRET: z
      .string()
      .min(MIN_API_KEYS_SECRET_LENGTH, `must be at least ${MIN_API_KEYS_SECRET_LENGTH} characters`)
      .optional(),
    // revocation reaches every instance within this bound: keep it short
    API_KEYS_CACHE_TTL_SECONDS: positiveIntFromEnv.max(60).default(5),
    API_CORS_ORIGINS: originsFromEnv.optional(),
    API_TRUST_PROXY_HOPS: nonNegativeIntFromEnv.max(10).optional(),
    API_TRUSTED_PROXIES: commaSeparated
      .pipe(
        z.array(
          z.string().refine(isProxyAddress, {
            error: (issue) => `${String(issue.input)} is not an IP address, a CIDR or loopback/linklocal/uniquelocal`,
          }),
        ),
      )
      .optional(),
  })
  .refine((env) => env.AUTH_COGNITO_USER_POOL_ID !== undefined || env.AUTH_ISSUER !== undefined, {
    message: 'set AUTH_COGNITO_USER_POOL_ID (Cognito) or AUTH_ISSUER (any OIDC issuer)',
    path: ['AUTH_ISSUER'],
  });

export function loadApiConfig(env: Env): ApiConfig {
  const parsed = parseEnv(apiEnvSchema, env);
  const platform = loadPlatformConfig(env);
  const inAws = platform.app.environment === 'aws';
  return {
    ...platform,
    auth: {
      clientId: parsed.AUTH_CLIENT_ID,
      ...(parsed.AUTH_ISSUER ? { issuer: parsed.AUTH_ISSUER } : {}),
      ...(parsed.AUTH_JWKS_URI ? { jwksUri: parsed.AUTH_JWKS_URI } : {}),
      ...(parsed.AUTH_COGNITO_USER_POOL_ID ? { userPoolId: parsed.AUTH_COGNITO_USER_POOL_ID } : {}),
    },
    http: {
      host: parsed.API_HOST,
      port: parsed.API_PORT,
      bodyLimitBytes: parsed.API_BODY_LIMIT_BYTES,
      // in AWS the dashboard's CloudFront origin is passed in; locally the dashboard runs on 5173
      corsOrigins: parsed.API_CORS_ORIGINS ?? (inAws ? [] : LOCAL_DASHBOARD_ORIGINS),
      // in AWS the ALB is the one proxy in front of the api; locally clients connect directly
      trustProxyHops: parsed.API_TRUST_PROXY_HOPS ?? (inAws ? 1 : 0),
      trustedProxies: parsed.API_TRUSTED_PROXIES ?? DEFAULT_TRUSTED_PROXIES,
    },
    images: { urlTtlSeconds: parsed.IMAGES_URL_TTL_SECONDS },
    jobs: { cursorSecret: cursorSecret(parsed.JOBS_CURSOR_SECRET, platform.app.environment) },
    limits: loadLimitsConfig(env),
    idempotency: loadIdempotencyConfig(env),
    batches: loadBatchesConfig(env),
    lifetime: loadJobLifetimeConfig(env),
    apiKeys: {
      secret: requiredSecret('API_KEYS_SECRET', parsed.API_KEYS_SECRET, DEV_API_KEYS_SECRET, platform.app.environment),
      cacheTtlMs: parsed.API_KEYS_CACHE_TTL_SECONDS * 1000,
    },
    progress: loadProgressConfig(env),
    events: loadEventsConfig(env),
    webhooks: loadWebhooksConfig(env, platform.app.environment),
  };
}

function cursorSecret(configured: string | undefined, environment: AppEnvironment): string {
  return requiredSecret('JOBS_CURSOR_SECRET', configured, DEV_JOBS_CURSOR_SECRET, environment);
}

/** A secret with a development default outside AWS; in AWS it must be set, and not to that default. */
function requiredSecret(
  name: string,
  configured: string | undefined,
  devDefault: string,
  environment: AppEnvironment,
): string {
  if (environment !== 'aws') {
    return configured ?? devDefault;
  }
  if (configured === undefined || configured === devDefault) {
    throw new ConfigValidationError([
      `${name}: required when APP_ENV=aws (at least 32 random characters, not the development default)`,
    ]);
  }
  return configured;
}
