/**
 * The pipeline's ceiling: BENCH_JOBS jobs through the stub with the platform's per-job AWS calls (bare-calls.ts)
 * issued by this one script: submit with BENCH_CONCURRENCY clients, then consume the notifications and progress
 * queues holding at most WORKER_CONCURRENCY messages each at once, as the worker does. Prints one JSON line.
 */
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { loadResourcesConfig } from '#libs/config';
import { bareClients, bareResources } from './bare-resources.js';
import { finalize, markRunning, submit } from './bare-calls.js';
import { inParallel } from '../support/stats.js';

const OWNER = 'ceiling';
const jobs = Number(process.env.BENCH_JOBS ?? 1000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const workerConcurrency = Number(process.env.WORKER_CONCURRENCY ?? 4);
const queues = loadResourcesConfig(process.env);
const clients = bareClients(process.env);
const resources = bareResources(process.env);

const unwrap = (body: string): Record<string, unknown> => {
  const parsed = JSON.parse(body) as Record<string, unknown>;
  return typeof parsed.Message === 'string' ? (JSON.parse(parsed.Message) as Record<string, unknown>) : parsed;
};

let finalized = 0;
let lastFinalizedAt = 0;
let stopping = false;
let failures = 0;

/** Like the worker's consumer: long polls, at most `concurrency` messages in hand at once. */
async function consume(
  queueUrl: string,
  concurrency: number,
  handle: (body: Record<string, unknown>, receipt: string) => Promise<void>,
) {
  const inHand = new Set<Promise<void>>();
  while (!stopping) {
    if (inHand.size >= concurrency) {
      await Promise.race(inHand);
      continue;
    }
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, concurrency - inHand.size),
        WaitTimeSeconds: 1,
      }),
    );
    for (const message of Messages) {
      const task = handle(unwrap(message.Body ?? '{}'), message.ReceiptHandle ?? '')
        .catch((error: unknown) => {
          failures += 1;
          console.error('message not handled:', error);
        })
        .finally(() => inHand.delete(task));
      inHand.add(task);
    }
  }
  await Promise.all(inHand);
}

const consumers = [
  consume(queues.notificationsQueueUrl, workerConcurrency, async (notification, receipt) => {
    const response = notification.responseParameters as { outputLocation: string };
    await finalize(
      clients,
      resources,
      { inferenceId: String(notification.inferenceId), outputLocation: response.outputLocation },
      queues.notificationsQueueUrl,
      receipt,
    );
    finalized += 1;
    lastFinalizedAt = performance.now();
  }),
  ...(queues.progressQueueUrl
    ? [
        consume(queues.progressQueueUrl, workerConcurrency, (message, receipt) =>
          markRunning(clients, resources, OWNER, String(message.inferenceId), queues.progressQueueUrl!, receipt),
        ),
      ]
    : []),
];

const started = performance.now();
await inParallel(jobs, concurrency, () =>
  submit(clients, resources, OWNER, { prompt: 'benchmark: a lighthouse at dawn', width: 512, height: 512 }),
);
const deadline = Date.now() + 300_000;
while (finalized < jobs && Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 50));
}
stopping = true;
await Promise.allSettled(consumers);
const seconds = (lastFinalizedAt - started) / 1000;
console.log(JSON.stringify({ jobs, finalized, failures, seconds, jobsPerSecond: finalized / seconds }));
