/**
 * How Node runs each service (api, worker, stub, dev IdP, web), wherever it is started: `make dev`, the bench and the
 * container images (docker/Dockerfile's CMDs list the same flags).
 * - `--enable-source-maps`: stack traces point at the TypeScript sources.
 * - `--experimental-async-context-frame`: AsyncLocalStorage (the request-scoped logger, the rate-limit reports) kept
 *   in the async context frame instead of async_hooks' promise hooks, which taxed every promise the AWS SDK makes.
 *   Node 24 made it the default; on Node 22 it cut the api's CPU per POST /v1/jobs (docs/benchmarks.md).
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--enable-source-maps', '--experimental-async-context-frame'];
