/**
 * How Node runs each service (api, worker, stub, dev IdP, web), wherever it is started: `make dev`, the bench and the
 * container images (docker/Dockerfile's CMDs list the same flags).
 * - `--enable-source-maps`: stack traces point at the TypeScript sources.
 * - `--experimental-async-context-frame`: AsyncLocalStorage (the request-scoped logger, the rate-limit reports) kept
 *   in the async context frame instead of async_hooks' promise hooks, which taxed every promise the AWS SDK makes.
 *   Node 24 made it the default; on Node 22 it cut the api's CPU per POST /v1/jobs (docs/benchmarks.md).
 * - `--max-semi-space-size=16`: V8's young generation as Node sizes it on a large machine. In a 1 GiB task Node
 *   would choose 4 MB semi-spaces: a request's objects, alive for the request's few hundred ms of AWS calls, then
 *   outlive more scavenges and are copied into the old generation. In the bench the 4 MB young generation took
 *   more CPU per job for 20 MB less memory (docs/benchmarks.md).
 */
export const SERVICE_NODE_FLAGS: readonly string[] = [
  '--enable-source-maps',
  '--experimental-async-context-frame',
  '--max-semi-space-size=16',
];

/**
 * The old generation Node gives the api and the worker in their 1 GiB Fargate tasks, for the processes started
 * outside them (`make dev`, the bench). In a container Node sizes V8's old generation from the container's memory:
 * 512 MB with 1 GiB (with SERVICE_NODE_FLAGS, a heap limit of 560 MB, measured in a podman container given
 * `--memory=1g`). Outside, it sizes it from the machine's memory (about 4 GB on a 24 GiB machine), and V8 then lets
 * garbage pile up to several hundred MB before a full collection, which the api never does in AWS. Not in the images'
 * CMDs: there the task's memory decides, and a larger task gets a larger heap.
 */
export const TASK_HEAP_NODE_FLAGS: readonly string[] = ['--max-old-space-size=512'];

/** How `make dev` and the bench run each service: as in its image, with the heap of its task. */
export const LOCAL_SERVICE_NODE_FLAGS: readonly string[] = [...SERVICE_NODE_FLAGS, ...TASK_HEAP_NODE_FLAGS];
