import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseHcl } from './hcl2json.js';
import { conventionProblems, iamProblems, moduleCallProblems, referenceProblems, schemaProblems } from './checks.js';
import { loadTerraformTree, type TerraformTree } from './hcl.js';
import type { ProviderSchema } from './provider-schema.js';

// Static checks of deploy/terraform (no terraform binary, no AWS account here): each runs on the real tree, which
// must be clean, and on a broken fixture, which proves the check catches what it is for.
const at = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const schema = JSON.parse(readFileSync(at('./provider-schema.json'), 'utf8')) as ProviderSchema;
const fixture = (name: string): Promise<TerraformTree> => loadTerraformTree(at(`./fixtures/${name}`));

describe('deploy/terraform', () => {
  let tree: TerraformTree;

  beforeAll(async () => {
    tree = await loadTerraformTree(at('..'));
  });

  it('holds the modules, the platform and both environments', () => {
    expect(tree.modules.map((module) => module.path).sort()).toEqual([
      'envs/dev',
      'envs/prod',
      'modules/compute',
      'modules/data',
      'modules/edge',
      'modules/inference',
      'modules/messaging',
      'modules/network',
      'modules/observability',
      'modules/secrets',
      'platform',
    ]);
  });

  it('uses only arguments and blocks of the AWS provider 6.x schema, with the required ones set', () => {
    expect(schema.providerVersion).toMatch(/^6\./);
    expect(schemaProblems(tree, schema)).toEqual([]);
  });

  it('has no dangling reference', async () => {
    expect(await referenceProblems(tree)).toEqual([]);
  });

  it('passes every module exactly its variables', () => {
    expect(moduleCallProblems(tree)).toEqual([]);
  });

  it('documents and types every variable, describes every output, pins terraform >= 1.8 and aws ~> 6, locks state in S3', async () => {
    expect(await conventionProblems(tree)).toEqual([]);
  });

  it('grants no wildcard action, and "*" resources only to actions without resource-level permissions', () => {
    expect(iamProblems(tree)).toEqual([]);
  });
});

describe('the checks catch what they are for (broken fixtures)', () => {
  it('the HCL parser rejects invalid syntax', async () => {
    const text = readFileSync(at('./fixtures/syntax/main.tf.broken'), 'utf8');
    await expect(parseHcl('main.tf', text)).rejects.toThrow(/Argument or block definition required|Invalid/);
  });

  it('schema: a misspelt argument, an unknown block, a missing required argument or block, an unknown type', async () => {
    const problems = schemaProblems(await fixture('schema'), schema);
    expect(problems).toEqual([
      'modules/broken: aws_ecs_service.nameless: required argument "name" is missing',
      'modules/broken: aws_lb_listener.no_action: required block "default_action" is missing',
      'modules/broken: aws_lb_target_group.block_as_map: "health_check" is a block: write it as health_check { ... }',
      'modules/broken: aws_not_a_thing.x: aws_not_a_thing is not in provider-schema.json (a typo, or run extract-provider-schema.ts)',
      'modules/broken: aws_sagemaker_endpoint_configuration.async.async_inference_config.output_config: required argument "s3_output_path" is missing',
      'modules/broken: aws_sqs_queue.misspelt: dynamic "redrive" is not a block of this type',
      'modules/broken: aws_sqs_queue.misspelt: "visibility_timeout" is not an argument or block of this type',
    ]);
  });

  it('references: unknown variable (also inside a for body), local, resource, data source, module, module output; an unused variable', async () => {
    const problems = await referenceProblems(await fixture('references'));
    expect(problems).toEqual([
      'modules/broken: aws_sqs_queue.a: var.nmae: no variable "nmae"',
      'modules/broken: aws_sqs_queue.a: local.missing: no local "missing"',
      'modules/broken: aws_sqs_queue.a: aws_sqs_queue.dlq.arn: no resource aws_sqs_queue.dlq',
      'modules/broken: aws_sqs_queue.a: data.aws_caller_identity.me.account_id: no data source aws_caller_identity.me',
      'modules/broken: output.names: var.missing_in_for: no variable "missing_in_for"',
      'modules/broken: variable "unused" is declared but never used',
      'root: module.child: module.other.x: no module "other"',
      'root: output.y: module.child.not_an_output: module "child" has no output "not_an_output"',
    ]);
  });

  it('module calls: an argument the module does not declare, a required variable not passed', async () => {
    const problems = moduleCallProblems(await fixture('module-calls'));
    expect(problems).toEqual([
      'root: module.child: passes "nmae", which modules/child does not declare',
      'root: module.child: does not pass "name", which modules/child requires',
    ]);
  });

  it('conventions: undocumented or untyped variables, undescribed outputs, unpinned versions, state locked by DynamoDB', async () => {
    const problems = await conventionProblems(await fixture('conventions'));
    expect(problems).toEqual([
      'modules/broken: variable "undocumented" has no description',
      'modules/broken: variable "untyped" has no type',
      'modules/broken: output "undescribed" has no description',
      'modules/broken: terraform { required_version = ">= 1.8" } (or newer) is missing',
      'modules/broken: required_providers.aws must be hashicorp/aws "~> 6.x"',
      'root: backend "s3" with backend.hcl setting use_lockfile = true (no DynamoDB table)',
      'root: use_lockfile needs required_version >= 1.11',
      'root: required_providers.aws must be hashicorp/aws "~> 6.x"',
    ]);
  });

  it('IAM: wildcard actions, "*" resources for scoped actions, any principal, inline JSON policies', async () => {
    const problems = iamProblems(await fixture('iam'));
    expect(problems).toEqual([
      "modules/broken: aws_iam_role_policy.inline.policy must be a data.aws_iam_policy_document's json (so that it is checked)",
      'modules/broken: data.aws_iam_policy_document.broad statement Everything: wildcard action *',
      'modules/broken: data.aws_iam_policy_document.broad statement AllOfS3: wildcard action s3:*',
      'modules/broken: data.aws_iam_policy_document.broad statement AllOfS3: resource "*" for s3:*, which take resource ARNs',
      'modules/broken: data.aws_iam_policy_document.broad statement AnyObject: resource "*" for s3:GetObject, which take resource ARNs',
      'modules/broken: data.aws_iam_policy_document.broad statement AnyPrincipal: allows any principal ("*")',
    ]);
  });
});
