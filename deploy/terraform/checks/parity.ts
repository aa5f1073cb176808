import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expressionsIn, type HclBody, type TerraformModule, type TerraformTree } from './hcl.js';

/**
 * What Terraform creates against what the code uses: the tables and indexes of table-schemas.ts, the topics and
 * queues of libs/local-stack's provisioning, the catalog's endpoints, and the environment each process reads.
 */

export interface KeyShapeLike {
  partitionKey: string;
  sortKey?: string;
  sortKeyType?: 'S' | 'N';
}

export interface TableSchemaLike {
  key: KeyShapeLike;
  indexes: Readonly<Record<string, KeyShapeLike>>;
  ttlAttribute?: string;
}

const isBody = (value: unknown): value is HclBody =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function moduleOf(tree: TerraformTree, path: string, problems: string[]): TerraformModule | undefined {
  const found = tree.modules.find((module) => module.path === path);
  if (!found) {
    problems.push(`${path}: not found`);
  }
  return found;
}

function localObject(module: TerraformModule, name: string, problems: string[]): HclBody {
  const value = module.locals.get(name);
  if (!isBody(value)) {
    problems.push(`${module.path}: local.${name} is not an object literal`);
    return {};
  }
  return value;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function keyShape(value: unknown): KeyShapeLike {
  const body = isBody(value) ? value : {};
  const sortKey = text(body.sort_key);
  const sortKeyType = text(body.sort_key_type);
  return {
    partitionKey: text(body.partition_key) ?? '',
    ...(sortKey ? { sortKey } : {}),
    ...(sortKey && sortKeyType && sortKeyType !== 'S' ? { sortKeyType: sortKeyType as 'N' } : {}),
  };
}

const shapeText = (shape: KeyShapeLike): string =>
  `${shape.partitionKey}${shape.sortKey ? `+${shape.sortKey}${shape.sortKeyType === 'N' ? ':N' : ''}` : ''}`;

/** platform's local.tables against table-schemas.ts, table by table (role → schema). */
export function tableProblems(tree: TerraformTree, schemas: Record<string, TableSchemaLike>): string[] {
  const problems: string[] = [];
  const platform = moduleOf(tree, 'platform', problems);
  if (!platform) {
    return problems;
  }
  const tables = localObject(platform, 'tables', problems);
  for (const role of new Set([...Object.keys(tables), ...Object.keys(schemas)])) {
    const schema = schemas[role];
    const table = tables[role];
    if (!schema || !isBody(table)) {
      problems.push(`table ${role}: ${schema ? 'missing in Terraform' : 'not in table-schemas.ts'}`);
      continue;
    }
    const key = keyShape(table);
    if (shapeText(key) !== shapeText(schema.key)) {
      problems.push(`table ${role}: key ${shapeText(key)}, the code uses ${shapeText(schema.key)}`);
    }
    if (text(table.ttl_attribute) !== schema.ttlAttribute) {
      problems.push(`table ${role}: TTL ${text(table.ttl_attribute)}, the code uses ${schema.ttlAttribute}`);
    }
    const indexes = isBody(table.indexes) ? table.indexes : {};
    for (const name of new Set([...Object.keys(indexes), ...Object.keys(schema.indexes)])) {
      const wanted = schema.indexes[name];
      if (!wanted || !(name in indexes)) {
        problems.push(`table ${role}: index ${name} ${wanted ? 'missing in Terraform' : 'not in the code'}`);
      } else if (shapeText(keyShape(indexes[name])) !== shapeText(wanted)) {
        problems.push(
          `table ${role}: index ${name} is ${shapeText(keyShape(indexes[name]))}, the code uses ${shapeText(wanted)}`,
        );
      }
    }
  }
  return problems;
}

export interface QueueSettingsLike {
  maxReceiveCount: number;
  visibilityTimeoutSeconds: number;
  receiveMessageWaitTimeSeconds: number;
  deadLetterRetentionSeconds: number;
}

export interface LocalNamesLike {
  queueName: string;
  deadLetterQueueName: string;
  webhookQueueName: string;
  webhookDeadLetterQueueName: string;
  successTopicName: string;
  errorTopicName: string;
  progressTopicName: string;
  progressQueueName: string;
}

/**
 * The messaging module against provisionResources: the same topics, queues, DLQs and subscriptions (names with the
 * same suffixes: `${var.name}` stands for the local prefix) and the same queue settings.
 */
export function messagingProblems(
  tree: TerraformTree,
  local: {
    names: (prefix: string) => LocalNamesLike;
    queue: QueueSettingsLike;
    progress: { visibilityTimeoutSeconds: number; retentionSeconds: number };
  },
): string[] {
  const problems: string[] = [];
  const messaging = moduleOf(tree, 'modules/messaging', problems);
  if (!messaging) {
    return problems;
  }
  const prefix = 'imggen-parity';
  const names = local.names(prefix);
  const named = (value: unknown): string => (text(value) ?? '').replaceAll('${var.name}', prefix);
  const topics = localObject(messaging, 'topics', problems);
  const queues = localObject(messaging, 'queues', problems);
  const deadLetters = localObject(messaging, 'dead_letter_queues', problems);
  const subscriptions = localObject(messaging, 'subscriptions', problems);
  const queueName = (role: unknown): string => {
    const queue = queues[text(role) ?? ''];
    return isBody(queue) ? named(queue.name) : `(no queue ${String(role)})`;
  };
  const deadLetterOf = (queue: string): string | undefined => {
    const role = Object.entries(queues).find(([, body]) => isBody(body) && named(body.name) === queue)?.[1];
    const dlq = isBody(role) ? text(role.dead_letter) : undefined;
    return dlq ? named(deadLetters[dlq]) : undefined;
  };

  const expectSame = (what: string, terraform: unknown, code: unknown): void => {
    if (JSON.stringify(terraform) !== JSON.stringify(code)) {
      problems.push(`${what}: Terraform ${JSON.stringify(terraform)}, local provisioning ${JSON.stringify(code)}`);
    }
  };
  expectSame(
    'topics',
    Object.values(topics).map(named).sort(),
    [names.errorTopicName, names.progressTopicName, names.successTopicName].sort(),
  );
  expectSame(
    'queues',
    Object.values(queues)
      .map((queue) => (isBody(queue) ? named(queue.name) : ''))
      .sort(),
    [names.queueName, names.webhookQueueName, names.progressQueueName].sort(),
  );
  expectSame(`DLQ of ${names.queueName}`, deadLetterOf(names.queueName), names.deadLetterQueueName);
  expectSame(
    `DLQ of ${names.webhookQueueName}`,
    deadLetterOf(names.webhookQueueName),
    names.webhookDeadLetterQueueName,
  );
  expectSame(`DLQ of ${names.progressQueueName}`, deadLetterOf(names.progressQueueName), undefined);
  expectSame(
    'subscriptions',
    Object.entries(subscriptions)
      .map(([topic, queue]) => `${named(topics[topic])} -> ${queueName(queue)}`)
      .sort(),
    [
      `${names.successTopicName} -> ${names.queueName}`,
      `${names.errorTopicName} -> ${names.queueName}`,
      `${names.progressTopicName} -> ${names.progressQueueName}`,
    ].sort(),
  );
  const defaultOf = (variable: string): unknown => messaging.variables.get(variable)?.default;
  expectSame('max_receive_count', defaultOf('max_receive_count'), local.queue.maxReceiveCount);
  expectSame(
    'visibility_timeout_seconds',
    defaultOf('visibility_timeout_seconds'),
    local.queue.visibilityTimeoutSeconds,
  );
  expectSame(
    'receive_wait_time_seconds',
    defaultOf('receive_wait_time_seconds'),
    local.queue.receiveMessageWaitTimeSeconds,
  );
  expectSame(
    'dead_letter_retention_seconds',
    defaultOf('dead_letter_retention_seconds'),
    local.queue.deadLetterRetentionSeconds,
  );
  expectSame(
    'progress_visibility_timeout_seconds',
    defaultOf('progress_visibility_timeout_seconds'),
    local.progress.visibilityTimeoutSeconds,
  );
  expectSame('progress_retention_seconds', defaultOf('progress_retention_seconds'), local.progress.retentionSeconds);
  return problems;
}

export interface CatalogModelLike {
  id: string;
  endpointName: string;
  mode: string;
  codec: string;
  hosting: { instanceType: string };
}

/** platform's local.catalog against the built-in model catalog: one endpoint per model, same name, mode, instance. */
export function catalogProblems(tree: TerraformTree, models: readonly CatalogModelLike[]): string[] {
  const problems: string[] = [];
  const platform = moduleOf(tree, 'platform', problems);
  if (!platform) {
    return problems;
  }
  const catalog = localObject(platform, 'catalog', problems);
  for (const id of new Set([...Object.keys(catalog), ...models.map((model) => model.id)])) {
    const model = models.find((candidate) => candidate.id === id);
    const entry = catalog[id];
    if (!model || !isBody(entry)) {
      problems.push(`model ${id}: ${model ? 'missing in Terraform' : 'not in the catalog'}`);
      continue;
    }
    const terraform = {
      endpointName: entry.endpoint_name,
      mode: entry.mode,
      instanceType: entry.instance_type,
      ownImage: entry.own_image,
    };
    const code = {
      endpointName: model.endpointName,
      mode: model.mode,
      instanceType: model.hosting.instanceType,
      ownImage: model.codec === 'imggen',
    };
    if (JSON.stringify(terraform) !== JSON.stringify(code)) {
      problems.push(`model ${id}: Terraform ${JSON.stringify(terraform)}, catalog ${JSON.stringify(code)}`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Environment of the task definitions

/** `NAME = value` lines of an HCL object expression (what hcl2json leaves as one `${...}` string). */
export function assignments(expression: string): Map<string, string> {
  return new Map(
    [...expression.matchAll(/^\s*([A-Z][A-Z0-9_]+)\s*=\s*(.+?)\s*$/gm)].map((match) => [match[1]!, match[2]!]),
  );
}

export interface ProcessEnvironment {
  /** Plain environment variables, with the HCL expression of each value. */
  plain: Map<string, string>;
  /** Variables injected from Secrets Manager. */
  secrets: string[];
}

/** What the task definitions give the api and the worker: platform locals + compute's own + secrets + tfvars. */
export function processEnvironments(
  tree: TerraformTree,
  problems: string[],
): Record<'api' | 'worker', ProcessEnvironment> {
  const platform = moduleOf(tree, 'platform', problems);
  const compute = moduleOf(tree, 'modules/compute', problems);
  const secrets = moduleOf(tree, 'modules/secrets', problems);
  const local = (name: string): Map<string, string> => assignments(text(platform?.locals.get(name)) ?? '');
  const taskDefinition = (name: string): Map<string, string> =>
    assignments(
      expressionsIn(compute?.resources.find((r) => r.type === 'aws_ecs_task_definition' && r.name === name)?.body).join(
        '\n',
      ),
    );
  const shared = local('shared_environment');
  const secretNames = Object.keys(
    isBody(secrets?.locals.get('secrets')) ? (secrets?.locals.get('secrets') as HclBody) : {},
  );
  return {
    api: { plain: new Map([...shared, ...local('api_environment'), ...taskDefinition('api')]), secrets: secretNames },
    worker: { plain: new Map([...shared, ...local('worker_environment'), ...taskDefinition('worker')]), secrets: [] },
  };
}

/** Every upper-case key of a zod env schema in the process's config sources: the names the process can read. */
export function namesReadBy(files: string[]): Set<string> {
  const names = new Set<string>();
  for (const file of files) {
    for (const match of readFileSync(file, 'utf8').matchAll(/^\s+([A-Z][A-Z0-9_]{2,}):\s/gm)) {
      names.add(match[1]!);
    }
  }
  return names;
}

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

function filesUnder(dir: string, pattern: RegExp): string[] {
  return readdirSync(join(REPO, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => pattern.test(file) && !file.includes('.spec.'))
    .map((file) => join(REPO, dir, file));
}

/** The config sources of each process: its own *.config.ts, and the libs' config it loads. */
export function configSources(process: 'api' | 'worker'): string[] {
  return [
    ...filesUnder(`apps/${process}/src`, /\.config\.ts$/),
    ...filesUnder('libs/config/src', /\.config\.ts$/),
    ...filesUnder('libs/observability/src', /\.config\.ts$/),
    ...filesUnder('libs/webhooks/src', /\.config\.ts$/),
  ];
}

/** A value of the right shape for a name whose value Terraform only knows at apply time. */
export function sampleValue(name: string, expression: string): string {
  const literal = /^"([^"$]*)"$/.exec(expression)?.[1];
  if (literal !== undefined) {
    return literal;
  }
  if (name.endsWith('_SECRET')) {
    return 's'.repeat(64);
  }
  if (name.endsWith('_URL') || name.endsWith('_ENDPOINT')) {
    return 'https://sqs.us-east-1.amazonaws.com/123456789012/q';
  }
  if (name.endsWith('_ARN') || name.endsWith('_KMS_KEY_ID')) {
    return 'arn:aws:sns:us-east-1:123456789012:x';
  }
  if (name.endsWith('_PORT')) {
    return '3000';
  }
  if (name.endsWith('_POOL_ID')) {
    return 'us-east-1_Abc123';
  }
  if (name.endsWith('_ORIGINS')) {
    return 'https://d111111abcdef8.cloudfront.net';
  }
  if (expression.startsWith('tostring(')) {
    return '10';
  }
  return 'imggen-sample';
}

// ---------------------------------------------------------------------------------------------------------------
// The dashboard's config.json and the model container's environment

/** The keys of the edge module's local.runtime_config (the config.json Terraform writes next to the dashboard). */
export function runtimeConfigProblems(tree: TerraformTree, keysTheDashboardReads: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const edge = moduleOf(tree, 'modules/edge', problems);
  if (!edge) {
    return problems;
  }
  const keys = Object.keys(localObject(edge, 'runtime_config', problems));
  for (const key of keys.filter((candidate) => !keysTheDashboardReads.has(candidate))) {
    problems.push(`config.json: "${key}" is not read by the dashboard`);
  }
  // the hosted sign-in needs all three (apps/web/app/src/auth/config.ts parseRuntimeConfig)
  for (const key of ['apiUrl', 'authority', 'clientId', 'redirectUri'].filter((wanted) => !keys.includes(wanted))) {
    problems.push(`config.json: "${key}" is missing`);
  }
  return problems;
}

/** Environment variables Terraform gives our model container that the container does not read. */
export function modelEnvironmentProblems(tree: TerraformTree, namesTheContainerReads: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const platform = moduleOf(tree, 'platform', problems);
  const inference = moduleOf(tree, 'modules/inference', problems);
  const catalog = platform ? localObject(platform, 'catalog', problems) : {};
  const names = new Set<string>();
  for (const entry of Object.values(catalog)) {
    if (isBody(entry) && entry.own_image === true && isBody(entry.environment)) {
      Object.keys(entry.environment).forEach((name) => names.add(name));
    }
  }
  const model = inference?.resources.find((r) => r.type === 'aws_sagemaker_model');
  for (const expression of expressionsIn(model?.body)) {
    [...expression.matchAll(/\b(IMGGEN_[A-Z0-9_]+)\s*=/g)].forEach((match) => names.add(match[1]!));
  }
  for (const name of names) {
    if (!namesTheContainerReads.has(name)) {
      problems.push(`model container: ${name} is not read by docker/model`);
    }
  }
  return problems;
}

/** `IMGGEN_*` names the model container's Python reads. */
export function modelContainerNames(): Set<string> {
  const dir = join(REPO, 'docker/model/imggen_model');
  const names = new Set<string>();
  for (const file of readdirSync(dir).filter((entry) => entry.endsWith('.py'))) {
    for (const match of readFileSync(join(dir, file), 'utf8').matchAll(/["'](IMGGEN_[A-Z0-9_]+)["']/g)) {
      names.add(match[1]!);
    }
  }
  return names;
}

/** The config.json keys parseRuntimeConfig reads (`text(record, 'key')`). */
export function dashboardConfigKeys(): Set<string> {
  const source = readFileSync(join(REPO, 'apps/web/app/src/auth/config.ts'), 'utf8');
  return new Set([...source.matchAll(/text\(record, '(\w+)'\)/g)].map((match) => match[1]!));
}
