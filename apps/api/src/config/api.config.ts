import { z } from 'zod';
import {
  type Env,
  loadPlatformConfig,
  parseEnv,
  type PlatformConfig,
  portFromEnv,
  positiveIntFromEnv,
} from '#libs/config';

export interface AuthConfig {
  /** Token issuer; Cognito's is derived from the user pool id. */
  issuer?: string;
  jwksUri?: string;
  /** Cognito user pool id (e.g. eu-west-1_AbC123): selects aws-jwt-verify's Cognito verifier. */
  userPoolId?: string;
  /** App client id every token must carry (`client_id` on access tokens). */
  clientId: string;
}

export interface ApiConfig extends PlatformConfig {
  auth: AuthConfig;
  http: { host: string; port: number; bodyLimitBytes: number };
  images: { urlTtlSeconds: number };
}

export const API_CONFIG = Symbol('API_CONFIG');

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
  })
  .refine((env) => env.AUTH_COGNITO_USER_POOL_ID !== undefined || env.AUTH_ISSUER !== undefined, {
    message: 'set AUTH_COGNITO_USER_POOL_ID (Cognito) or AUTH_ISSUER (any OIDC issuer)',
    path: ['AUTH_ISSUER'],
  });

export function loadApiConfig(env: Env): ApiConfig {
  const parsed = parseEnv(apiEnvSchema, env);
  return {
    ...loadPlatformConfig(env),
    auth: {
      clientId: parsed.AUTH_CLIENT_ID,
      ...(parsed.AUTH_ISSUER ? { issuer: parsed.AUTH_ISSUER } : {}),
      ...(parsed.AUTH_JWKS_URI ? { jwksUri: parsed.AUTH_JWKS_URI } : {}),
      ...(parsed.AUTH_COGNITO_USER_POOL_ID ? { userPoolId: parsed.AUTH_COGNITO_USER_POOL_ID } : {}),
    },
    http: { host: parsed.API_HOST, port: parsed.API_PORT, bodyLimitBytes: parsed.API_BODY_LIMIT_BYTES },
    images: { urlTtlSeconds: parsed.IMAGES_URL_TTL_SECONDS },
  };
}
