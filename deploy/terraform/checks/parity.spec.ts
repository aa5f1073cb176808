import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadApiConfig } from '../../../apps/api/src/config/api.config.js';
import { loadWorkerConfig } from '../../../apps/worker/src/config/worker.config.js';
import { ACCOUNTS_TABLE_SCHEMA, JOBS_TABLE_SCHEMA, RATE_LIMITS_TABLE_SCHEMA } from '#libs/aws';
import { localResourceNames } from '#libs/config';
import { DEFAULT_QUEUE_SETTINGS, PROGRESS_QUEUE_SETTINGS } from '#libs/local-stack';
import { BUILT_IN_MODELS } from '#libs/models';
import { loadTerraformModule, loadTerraformTree, type TerraformTree } from './hcl.js';
import { ACTION_OF_COMMAND, commandsSent, grantedActions, RATE_LIMITER_ACTIONS } from './iam-actions.js';
import {
  catalogProblems,
  configSources,
  dashboardConfigKeys,
  modelContainerNames,
  modelEnvironmentProblems,
  runtimeConfigProblems,
  messagingProblems,
  namesReadBy,
  type ProcessEnvironment,
  processEnvironments,
  sampleValue,
  tableProblems,
} from './parity.js';

// Terraform describes what the code uses: compared with table-schemas.ts, the local provisioning, the model catalog
// and the processes' config schemas. Each comparison also runs on a broken fixture (fixtures/parity).
const at = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const TABLES = { jobs: JOBS_TABLE_SCHEMA, accounts: ACCOUNTS_TABLE_SCHEMA, rate_limits: RATE_LIMITS_TABLE_SCHEMA };
const LOCAL = { names: localResourceNames, queue: DEFAULT_QUEUE_SETTINGS, progress: PROGRESS_QUEUE_SETTINGS };

function sampleEnv(environment: ProcessEnvironment): Record<string, string> {
  const entries: Array<[string, string]> = [
    ...[...environment.plain].map(([name, expression]): [string, string] => [name, sampleValue(name, expression)]),
    ...environment.secrets.map((name): [string, string] => [name, sampleValue(name, '')]),
  ];
  return Object.fromEntries(entries);
}

function unknownNames(process: 'api' | 'worker', environment: ProcessEnvironment): string[] {
  const known = namesReadBy(configSources(process));
  return [...environment.plain.keys(), ...environment.secrets].filter((name) => !known.has(name));
}

/** A secret (…_SECRET) as a plain environment variable: visible to anyone who can describe the task definition. */
const plainSecrets = (environment: ProcessEnvironment): string[] =>
  [...environment.plain.keys()].filter((name) => name.endsWith('_SECRET'));

describe('Terraform matches the code', () => {
  let tree: TerraformTree;

  beforeAll(async () => {
    tree = await loadTerraformTree(at('..'));
  });

  it('creates the tables with the keys, indexes and TTL attributes of table-schemas.ts', () => {
    expect(tableProblems(tree, TABLES)).toEqual([]);
  });

  it('creates the topics, queues, DLQs and subscriptions that the local provisioning creates, with its settings', () => {
    expect(messagingProblems(tree, LOCAL)).toEqual([]);
  });

  it('deploys one endpoint per catalog model, with its name, mode and instance type', () => {
    expect(catalogProblems(tree, BUILT_IN_MODELS)).toEqual([]);
  });

  it('gives each process only variables its config reads, secrets only from Secrets Manager', () => {
    const problems: string[] = [];
    const { api, worker } = processEnvironments(tree, problems);
    expect(problems).toEqual([]);
    expect(unknownNames('api', api)).toEqual([]);
    expect(unknownNames('worker', worker)).toEqual([]);
    expect(api.secrets.sort()).toEqual(['API_KEYS_SECRET', 'JOBS_CURSOR_SECRET']);
    expect(plainSecrets(api)).toEqual([]);
    expect(plainSecrets(worker)).toEqual([]);
  });

  it('gives each process everything its config requires in AWS (APP_ENV=aws)', () => {
    const { api, worker } = processEnvironments(tree, []);
    expect(api.plain.get('APP_ENV')).toBe('"aws"');
    expect(() => loadApiConfig(sampleEnv(api))).not.toThrow();
    expect(() => loadWorkerConfig(sampleEnv(worker))).not.toThrow();
  });

  it("writes the dashboard's config.json with the keys the dashboard reads", () => {
    expect(dashboardConfigKeys()).toEqual(
      new Set(['apiUrl', 'devTokenUrl', 'authority', 'clientId', 'redirectUri', 'logoutUrl', 'scope']),
    );
    expect(runtimeConfigProblems(tree, dashboardConfigKeys())).toEqual([]);
  });

  it('gives our model container only variables it reads', () => {
    expect(modelContainerNames().has('IMGGEN_PROGRESS_TOPIC_ARN')).toBe(true);
    expect(modelEnvironmentProblems(tree, modelContainerNames())).toEqual([]);
  });

  it.each(['dev', 'prod'])('sets in envs/%s/terraform.tfvars only variables the processes read', async (env) => {
    const parsed = await loadTerraformModule(at(`../envs/${env}`));
    expect(parsed.variables.size).toBeGreaterThan(0);
    const { parseHcl } = await import('./hcl2json.js');
    const tfvars = await parseHcl('terraform.tfvars', readFileSync(at(`../envs/${env}/terraform.tfvars`), 'utf8'));
    for (const [variable, process] of [
      ['api_environment', 'api'],
      ['worker_environment', 'worker'],
    ] as const) {
      const names = Object.keys(tfvars[variable] ?? {});
      const known = namesReadBy(configSources(process));
      expect(names.filter((name) => !known.has(name))).toEqual([]);
    }
  });
});

describe('the comparisons catch a difference (fixtures/parity)', () => {
  let broken: TerraformTree;

  beforeAll(async () => {
    broken = await loadTerraformTree(at('./fixtures/parity'));
  });

  it('a wrong index key, a missing index, a missing TTL, a table the code does not have', () => {
    expect(tableProblems(broken, TABLES)).toEqual([
      'table accounts: TTL undefined, the code uses expiresAt',
      'table extra: not in table-schemas.ts',
      'table jobs: index byOwner is ownerId+createdAt, the code uses ownerId+jobId',
      'table jobs: index byOwnerStatus missing in Terraform',
      'table jobs: index byDeadline missing in Terraform',
      'table jobs: index byExpiry missing in Terraform',
      'table jobs: index byEndpointActive missing in Terraform',
      'table jobs: index byOwnerUpdated missing in Terraform',
      'table rate_limits: missing in Terraform',
    ]);
  });

  it('a progress queue with a DLQ, a missing subscription, a different maxReceiveCount', () => {
    expect(messagingProblems(broken, LOCAL)).toEqual([
      'DLQ of imggen-parity-progress: Terraform "imggen-parity-progress-dlq", local provisioning undefined',
      'subscriptions: Terraform ["imggen-parity-inference-progress -> imggen-parity-progress","imggen-parity-inference-success -> imggen-parity-notifications"], local provisioning ["imggen-parity-inference-error -> imggen-parity-notifications","imggen-parity-inference-progress -> imggen-parity-progress","imggen-parity-inference-success -> imggen-parity-notifications"]',
      'max_receive_count: Terraform 5, local provisioning 10',
    ]);
  });

  it('a model missing, an endpoint renamed, a model the catalog does not have', () => {
    expect(catalogProblems(broken, BUILT_IN_MODELS)).toEqual([
      'model extra-own: not in the catalog',
      'model stable-diffusion-xl: Terraform {"endpointName":"imggen-sdxl","mode":"async","instanceType":"ml.g5.xlarge","ownImage":false}, catalog {"endpointName":"imggen-sdxl-async","mode":"async","instanceType":"ml.g5.xlarge","ownImage":false}',
      'model stable-diffusion-2-1: missing in Terraform',
      'model stability-sdxl: missing in Terraform',
      'model imggen-sdxl: missing in Terraform',
      'model sdxl-turbo: missing in Terraform',
    ]);
  });

  it('a config.json key the dashboard does not read, a required one missing; a model variable nobody reads', () => {
    expect(runtimeConfigProblems(broken, dashboardConfigKeys())).toEqual([
      'config.json: "clientID" is not read by the dashboard',
      'config.json: "clientId" is missing',
    ]);
    expect(modelEnvironmentProblems(broken, modelContainerNames())).toEqual([
      'model container: IMGGEN_PRESET is not read by docker/model',
    ]);
  });

  it('a misspelt variable, a secret in plain text, a required variable missing', () => {
    const { api, worker } = processEnvironments(broken, []);
    expect(unknownNames('api', api)).toEqual(['JOBS_TABEL']);
    expect(plainSecrets(api)).toEqual(['JOBS_CURSOR_SECRET']);
    expect(() => loadApiConfig(sampleEnv(api))).toThrow(/JOBS_TABLE/);
    expect(() => loadWorkerConfig(sampleEnv(worker))).toThrow(/JOBS_TABLE/);
  });
});

describe('the task roles grant exactly the calls the code makes', () => {
  const repo = at('../../../');
  const sourceDirs = [
    'libs/aws/src',
    'libs/webhooks/src',
    'libs/jobs/src',
    'libs/quotas/src',
    'apps/api/src',
    'apps/worker/src',
  ];

  it('every SDK command the api and worker send is granted, and every granted action is sent', async () => {
    const tree = await loadTerraformTree(at('..'));
    const commands = commandsSent(repo, sourceDirs);
    const unmapped = [...commands].filter((command) => !(command in ACTION_OF_COMMAND));
    expect(unmapped).toEqual([]);
    const needed = new Set([...[...commands].map((command) => ACTION_OF_COMMAND[command]!), ...RATE_LIMITER_ACTIONS]);
    const granted = grantedActions(tree, 'modules/compute', ['api', 'worker']);
    expect([...needed].filter((action) => !granted.has(action)).sort()).toEqual([]);
    expect([...granted].filter((action) => !needed.has(action)).sort()).toEqual([]);
  });

  it('a command nobody maps, a grant nobody uses, calls not granted (fixtures/iam-actions)', async () => {
    const commands = commandsSent(at('./fixtures/iam-actions/'), ['src']);
    expect([...commands].filter((command) => !(command in ACTION_OF_COMMAND))).toEqual(['CreateTableCommand']);
    const broken = await loadTerraformTree(at('./fixtures/iam-actions'));
    const granted = grantedActions(broken, 'modules/compute', ['api', 'worker']);
    const needed = new Set([...commands].flatMap((command) => ACTION_OF_COMMAND[command] ?? []));
    expect([...needed].filter((action) => !granted.has(action)).sort()).toEqual([
      'sagemaker:DescribeEndpoint',
      'sqs:ReceiveMessage',
    ]);
    expect([...granted].filter((action) => !needed.has(action))).toEqual(['s3:DeleteObject']);
  });
});
