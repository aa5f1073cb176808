import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseHcl, referencesInExpression } from './hcl2json.js';
import { expressionsIn, type HclBody, type TerraformModule, type TerraformTree } from './hcl.js';
import type { BlockSchema, ProviderSchema } from './provider-schema.js';

/** Terraform's own arguments of a resource or data block, not the provider's. */
const META_ARGUMENTS = new Set([
  'count',
  'for_each',
  'depends_on',
  'provider',
  'lifecycle',
  'provisioner',
  'connection',
]);
const MODULE_META_ARGUMENTS = new Set(['count', 'for_each', 'depends_on', 'providers', 'version']);

const isBody = (value: unknown): value is HclBody =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

// ---------------------------------------------------------------------------------------------------------------
// Provider schema: every argument and block exists, required ones are set.

function bodyProblems(where: string, body: HclBody, schema: BlockSchema, topLevel: boolean): string[] {
  const problems: string[] = [];
  const dynamicBlocks = isBody(body.dynamic) ? body.dynamic : {};
  for (const [key, value] of Object.entries(body)) {
    if (topLevel && META_ARGUMENTS.has(key)) {
      continue;
    }
    if (key === 'dynamic') {
      for (const [name, generators] of Object.entries(dynamicBlocks)) {
        const block = schema.blocks[name];
        if (!block) {
          problems.push(`${where}: dynamic "${name}" is not a block of this type`);
          continue;
        }
        for (const generator of Array.isArray(generators) ? generators : []) {
          const content = isBody(generator) && Array.isArray(generator.content) ? generator.content : [];
          for (const item of content.filter(isBody)) {
            problems.push(...bodyProblems(`${where}.${name}`, item, block, false));
          }
        }
      }
      continue;
    }
    if (schema.attributes[key]) {
      continue;
    }
    const block = schema.blocks[key];
    if (!block) {
      problems.push(`${where}: "${key}" is not an argument or block of this type`);
      continue;
    }
    if (!Array.isArray(value)) {
      problems.push(`${where}: "${key}" is a block: write it as ${key} { ... }`);
      continue;
    }
    for (const item of value.filter(isBody)) {
      problems.push(...bodyProblems(`${where}.${key}`, item, block, false));
    }
  }
  for (const [name, attribute] of Object.entries(schema.attributes)) {
    if (attribute.required && !(name in body)) {
      problems.push(`${where}: required argument "${name}" is missing`);
    }
  }
  for (const [name, block] of Object.entries(schema.blocks)) {
    if (block.required && !(name in body) && !(name in dynamicBlocks)) {
      problems.push(`${where}: required block "${name}" is missing`);
    }
  }
  return problems;
}

export function schemaProblems(tree: TerraformTree, schema: ProviderSchema): string[] {
  const problems: string[] = [];
  for (const module of tree.modules) {
    for (const resource of module.resources) {
      const where = `${module.path}: ${resource.kind === 'data' ? 'data.' : ''}${resource.type}.${resource.name}`;
      const typeSchema = (resource.kind === 'data' ? schema.data : schema.resources)[resource.type];
      if (!typeSchema) {
        problems.push(
          `${where}: ${resource.type} is not in provider-schema.json (a typo, or run extract-provider-schema.ts)`,
        );
        continue;
      }
      problems.push(...bodyProblems(where, resource.body, typeSchema, true));
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// References: var., local., module., data. and resource references resolve; module calls pass exactly the
// module's variables.

/** Names that are in scope without a declaration. */
const BUILT_IN_ROOTS = new Set(['each', 'count', 'self', 'path', 'terraform']);

function dynamicIterators(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    value.forEach((item) => dynamicIterators(item, found));
  } else if (isBody(value)) {
    if (isBody(value.dynamic)) {
      for (const [name, generators] of Object.entries(value.dynamic)) {
        found.add(name);
        for (const generator of Array.isArray(generators) ? generators : []) {
          if (isBody(generator) && typeof generator.iterator === 'string') {
            found.add(generator.iterator);
          }
        }
      }
    }
    Object.values(value).forEach((item) => dynamicIterators(item, found));
  }
  return found;
}

function moduleAt(tree: TerraformTree, from: TerraformModule, source: string): TerraformModule | undefined {
  const dir = resolve(from.dir, source);
  return tree.modules.find((module) => module.dir === dir);
}

/**
 * HCL's own reference extraction misses what is inside a `for` expression's body, so references are also read off
 * the text (var., local., module., data. and resource addresses that are not part of a longer name).
 */
const TEXT_REFERENCE = /(?<![\w.:/"-])((?:var|local|module|data|aws_[a-z0-9_]+)(?:\.[A-Za-z_][\w-]*)+)/g;

async function referencesOf(file: string, expression: string): Promise<string[]> {
  const parsed = (await referencesInExpression(file, expression)).map((reference) => reference.value);
  const inText = [...expression.matchAll(TEXT_REFERENCE)].map((match) => match[1]!);
  return [...new Set([...parsed, ...inText])];
}

export async function referenceProblems(tree: TerraformTree): Promise<string[]> {
  const problems: string[] = [];
  for (const module of tree.modules) {
    const usedVariables = new Set<string>();
    const resources = new Set(module.resources.filter((r) => r.kind === 'resource').map((r) => `${r.type}.${r.name}`));
    const data = new Set(module.resources.filter((r) => r.kind === 'data').map((r) => `${r.type}.${r.name}`));
    const calls = new Map(module.moduleCalls.map((call) => [call.name, call]));
    const scopes: Array<{ where: string; file: string; value: unknown }> = [
      ...module.resources.map((r) => ({
        where: `${r.kind === 'data' ? 'data.' : ''}${r.type}.${r.name}`,
        file: r.file,
        value: r.body,
      })),
      ...module.moduleCalls.map((call) => ({ where: `module.${call.name}`, file: call.file, value: call.args })),
      ...[...module.locals].map(([name, value]) => ({ where: `local.${name}`, file: module.files[0] ?? '', value })),
      ...[...module.providers].map(([name, bodies]) => ({
        where: `provider.${name}`,
        file: module.files[0] ?? '',
        value: bodies,
      })),
      ...[...module.outputs].map(([name, body]) => ({
        where: `output.${name}`,
        file: module.files[0] ?? '',
        value: body,
      })),
    ];
    for (const scope of scopes) {
      const iterators = dynamicIterators(scope.value);
      // lifecycle.ignore_changes names attributes of the resource itself, not references
      const value = isBody(scope.value) ? { ...scope.value, lifecycle: undefined } : scope.value;
      for (const expression of expressionsIn(value)) {
        for (const reference of await referencesOf(scope.file, expression)) {
          const [root = '', first = '', second] = reference.split('.');
          const at = `${module.path}: ${scope.where}: ${reference}`;
          if (BUILT_IN_ROOTS.has(root) || iterators.has(root)) {
            continue;
          }
          if (root === 'var') {
            usedVariables.add(first);
            if (!module.variables.has(first)) {
              problems.push(`${at}: no variable "${first}"`);
            }
          } else if (root === 'local') {
            if (!module.locals.has(first)) {
              problems.push(`${at}: no local "${first}"`);
            }
          } else if (root === 'data') {
            if (!data.has(`${first}.${second}`)) {
              problems.push(`${at}: no data source ${first}.${second}`);
            }
          } else if (root === 'module') {
            const call = calls.get(first);
            const called = call && moduleAt(tree, module, call.source);
            if (!call) {
              problems.push(`${at}: no module "${first}"`);
            } else if (!called) {
              problems.push(`${at}: module "${first}" has no .tf files at ${call.source}`);
            } else if (second !== undefined && !called.outputs.has(second)) {
              problems.push(`${at}: module "${first}" has no output "${second}"`);
            }
          } else if (!resources.has(`${root}.${first}`)) {
            problems.push(`${at}: no resource ${root}.${first}`);
          }
        }
      }
    }
    // a variable nothing reads is a setting that silently does nothing (tflint's terraform_unused_declarations)
    for (const name of module.variables.keys()) {
      if (!usedVariables.has(name)) {
        problems.push(`${module.path}: variable "${name}" is declared but never used`);
      }
    }
  }
  return problems;
}

export function moduleCallProblems(tree: TerraformTree): string[] {
  const problems: string[] = [];
  for (const module of tree.modules) {
    for (const call of module.moduleCalls) {
      const where = `${module.path}: module.${call.name}`;
      const called = moduleAt(tree, module, call.source);
      if (!called) {
        problems.push(`${where}: source ${call.source} is not a module of this tree`);
        continue;
      }
      for (const argument of Object.keys(call.args)) {
        if (!MODULE_META_ARGUMENTS.has(argument) && !called.variables.has(argument)) {
          problems.push(`${where}: passes "${argument}", which ${called.path} does not declare`);
        }
      }
      for (const [name, variable] of called.variables) {
        if (!('default' in variable) && !(name in call.args)) {
          problems.push(`${where}: does not pass "${name}", which ${called.path} requires`);
        }
      }
      // a root composition (envs/*) passes every variable it has: a forgotten one would silently take the default
      if (module.path.startsWith('envs/')) {
        for (const name of called.variables.keys()) {
          if (!(name in call.args) && module.variables.has(name)) {
            problems.push(`${where}: declares variable "${name}" but does not pass it on`);
          }
        }
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Conventions: documented, typed variables; described outputs; pinned versions.

/** S3 native state locking (`use_lockfile`) is generally available from Terraform 1.11. */
const LOCKFILE_MINOR = 11;

const minorOf = (constraint: unknown): number | undefined => {
  const match = typeof constraint === 'string' ? /^>= 1\.(\d+)(\.\d+)?$/.exec(constraint) : null;
  return match ? Number(match[1]) : undefined;
};

export async function conventionProblems(tree: TerraformTree): Promise<string[]> {
  const problems: string[] = [];
  for (const module of tree.modules) {
    for (const [name, variable] of module.variables) {
      if (typeof variable.description !== 'string' || variable.description.trim() === '') {
        problems.push(`${module.path}: variable "${name}" has no description`);
      }
      if (!('type' in variable)) {
        problems.push(`${module.path}: variable "${name}" has no type`);
      }
    }
    for (const [name, output] of module.outputs) {
      if (typeof output.description !== 'string' || output.description.trim() === '') {
        problems.push(`${module.path}: output "${name}" has no description`);
      }
    }
    const required = minorOf(module.terraform.find((block) => 'required_version' in block)?.required_version);
    if (required === undefined || required < 8) {
      problems.push(`${module.path}: terraform { required_version = ">= 1.8" } (or newer) is missing`);
    }
    const backend = module.terraform.map((block) => block.backend).find(isBody);
    if (backend) {
      // a root: its backend.hcl (make tf-init) must lock the state with S3's lock file, which needs Terraform 1.11
      const file = join(module.dir, 'backend.hcl');
      const settings = existsSync(file) ? await parseHcl(file, readFileSync(file, 'utf8')) : undefined;
      if (!('s3' in backend) || settings?.use_lockfile !== true || 'dynamodb_table' in (settings ?? {})) {
        problems.push(`${module.path}: backend "s3" with backend.hcl setting use_lockfile = true (no DynamoDB table)`);
      }
      if (required !== undefined && required < LOCKFILE_MINOR) {
        problems.push(`${module.path}: use_lockfile needs required_version >= 1.${LOCKFILE_MINOR}`);
      }
    }
    const providers = module.terraform.flatMap((block) =>
      Array.isArray(block.required_providers) ? block.required_providers.filter(isBody) : [],
    );
    const aws = providers.map((block) => block.aws).find(isBody);
    if (aws?.source !== 'hashicorp/aws' || typeof aws.version !== 'string' || !/^~> 6\.\d+$/.test(aws.version)) {
      problems.push(`${module.path}: required_providers.aws must be hashicorp/aws "~> 6.x"`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// IAM: no wildcard action; no "*" resource except for actions that have no resource-level permissions.

/** Actions AWS authorizes only on "*" (the Service Authorization Reference lists no resource type for them). */
export const ACTIONS_WITHOUT_RESOURCES = new Set([
  'ecr:GetAuthorizationToken',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'cloudwatch:PutMetricData',
  'ec2:CreateNetworkInterface',
  'ec2:CreateNetworkInterfacePermission',
  'ec2:DeleteNetworkInterface',
  'ec2:DeleteNetworkInterfacePermission',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeVpcs',
  'ec2:DescribeDhcpOptions',
  'ec2:DescribeSubnets',
  'ec2:DescribeSecurityGroups',
]);

const POLICY_ARGUMENTS: Record<string, string[]> = {
  aws_iam_role_policy: ['policy'],
  aws_iam_policy: ['policy'],
  aws_iam_role: ['assume_role_policy'],
  aws_s3_bucket_policy: ['policy'],
  aws_sqs_queue_policy: ['policy'],
  aws_sns_topic_policy: ['policy'],
  aws_kms_key: ['policy'],
};

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

export function iamProblems(tree: TerraformTree): string[] {
  const problems: string[] = [];
  for (const module of tree.modules) {
    // key policies: "*" as the resource means "this key" (and the account's root administers it)
    const keyPolicies = new Set(
      module.resources
        .filter((r) => r.kind === 'resource' && r.type === 'aws_kms_key')
        .flatMap((r) => expressionsIn(r.body.policy))
        .flatMap((expression) => [...expression.matchAll(/data\.aws_iam_policy_document\.([\w-]+)\.json/g)])
        .map((match) => match[1]),
    );
    for (const resource of module.resources) {
      for (const argument of POLICY_ARGUMENTS[resource.type] ?? []) {
        const value = resource.body[argument];
        if (
          value !== undefined &&
          !(typeof value === 'string' && /^\$\{data\.aws_iam_policy_document\.[\w-]+(\[[^\]]+\])?\.json\}$/.test(value))
        ) {
          problems.push(
            `${module.path}: ${resource.type}.${resource.name}.${argument} must be a data.aws_iam_policy_document's json (so that it is checked)`,
          );
        }
      }
      if (resource.kind !== 'data' || resource.type !== 'aws_iam_policy_document') {
        continue;
      }
      const where = `${module.path}: data.aws_iam_policy_document.${resource.name}`;
      const keyPolicy = keyPolicies.has(resource.name);
      for (const statement of (Array.isArray(resource.body.statement) ? resource.body.statement : []).filter(isBody)) {
        const label = `${where} statement ${typeof statement.sid === 'string' ? statement.sid : '(no sid)'}`;
        if (statement.effect === 'Deny') {
          continue;
        }
        if ('not_actions' in statement || 'not_resources' in statement) {
          problems.push(`${label}: not_actions / not_resources allow everything else`);
        }
        const actions = strings(statement.actions);
        for (const action of actions) {
          if (!keyPolicy && (action === '*' || action.endsWith(':*'))) {
            problems.push(`${label}: wildcard action ${action}`);
          }
        }
        const principals = (Array.isArray(statement.principals) ? statement.principals : []).filter(isBody);
        if (principals.some((principal) => strings(principal.identifiers).includes('*'))) {
          problems.push(`${label}: allows any principal ("*")`);
        }
        const trustPolicy = actions.every((action) => action.startsWith('sts:AssumeRole'));
        if (!keyPolicy && !trustPolicy && strings(statement.resources).includes('*')) {
          const scoped = actions.filter((action) => !ACTIONS_WITHOUT_RESOURCES.has(action));
          if (scoped.length > 0) {
            problems.push(`${label}: resource "*" for ${scoped.join(', ')}, which take resource ARNs`);
          }
        }
        if (!trustPolicy && !('resources' in statement) && principals.length === 0) {
          problems.push(`${label}: no resources`);
        }
      }
    }
  }
  return problems;
}

export const treeRoot = (file: string): string => resolve(dirname(file), '..');
