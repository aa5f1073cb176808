/**
 * How Node runs each service (api, worker, stub, dev IdP, web), wherever it is started: `make dev`, the bench and the
 * container images (docker/Dockerfile's CMDs list the same flags).
 * - `--enable-source-maps`: stack traces point at the TypeScript sources.
 * - `--experimental-async-context-frame`: AsyncLocalStorage (the request-scoped logger, the rate-limit reports) kept
 *   in the async context frame instead of async_hooks' promise hooks, which taxed every promise the AWS SDK makes.
 *   Node 24 made it the default; on Node 22 it cut the api's CPU per POST /v1/jobs (docs/benchmarks.md).
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--enable-source-maps', '--experimental-async-context-frame'];

/**
 * The heap Node gives the api and the worker in their 1 GiB Fargate tasks, for the processes started outside them
 * (`make dev`, the bench). In a container Node sizes V8's heap from the container's memory: with 1 GiB, a 512 MB old
 * generation and 4 MB semi-spaces (a heap limit of 524 MB, measured in a podman container given `--memory=1g`).
 * Outside, it sizes the heap from the machine's memory: on a 24 GiB machine about 4 GB with 16 MB semi-spaces, and V8
 * then lets garbage grow to several hundred MB before a full collection. Not in the images' CMDs: there the task's
 * memory decides, and a larger task gets a larger heap.
 */
export const TASK_HEAP_NODE_FLAGS: readonly string[] = ['--max-old-space-size=512', '--max-semi-space-size=4'];

/** How `make dev` and the bench run each service: as in its image, with the heap of its task. */
export const LOCAL_SERVICE_NODE_FLAGS: readonly string[] = [...SERVICE_NODE_FLAGS, ...TASK_HEAP_NODE_FLAGS];
