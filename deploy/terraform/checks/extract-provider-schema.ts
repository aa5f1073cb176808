/**
 * Extracts, from the `@cdktf/provider-aws` generated bindings (hashicorp/aws 6.x), the argument schema of the
 * resource and data-source types that deploy/terraform uses, into provider-schema.json next to this file.
 *
 * The package is ~390 MB (2,200 types), too heavy to install on every CI run for a few dozen types; the bindings are
 * generated from `terraform providers schema -json`, so the subset read here is faithful: each `<Type>Config`
 * interface lists the settable arguments (a property without `?` is required), each nested interface a block, and
 * every property's doc link names the Terraform argument (`...#snake_name`).
 *
 * Run after adding a resource type (the schema check names the missing ones):
 *   npm install --no-save --prefix /tmp/cdktf-aws @cdktf/provider-aws@21.22.1
 *   npx tsx deploy/terraform/checks/extract-provider-schema.ts /tmp/cdktf-aws/node_modules/@cdktf/provider-aws
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { loadTerraformTree } from './hcl.js';
import type { BlockSchema, ProviderSchema } from './provider-schema.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const META_ARGUMENTS = new Set([
  'count',
  'forEach',
  'dependsOn',
  'provider',
  'lifecycle',
  'connection',
  'provisioners',
]);

function blockSchemaOf(source: ts.SourceFile, interfaceName: string, seen: string[] = []): BlockSchema {
  const interfaces = new Map<string, ts.InterfaceDeclaration>();
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node)) {
      interfaces.set(node.name.text, node);
    }
  });
  const declaration = interfaces.get(interfaceName);
  if (!declaration) {
    throw new Error(`no interface ${interfaceName} in ${source.fileName}`);
  }
  const schema: BlockSchema = { attributes: {}, blocks: {} };
  for (const member of declaration.members) {
    if (!ts.isPropertySignature(member) || !member.type || !ts.isIdentifier(member.name)) {
      continue;
    }
    if (META_ARGUMENTS.has(member.name.text)) {
      continue;
    }
    const docs = ts
      .getJSDocCommentsAndTags(member)
      .map((doc) => doc.getFullText(source))
      .join(' ');
    const snake = /#([a-z0-9_]+) /.exec(docs)?.[1];
    if (!snake) {
      throw new Error(`${interfaceName}.${member.name.text} has no Terraform name in its docs`);
    }
    const required = member.questionToken === undefined;
    const referenced = member.type
      .getText(source)
      .split('|')
      .map((part) => part.trim().replace(/\[\]$/, ''))
      .find((part) => interfaces.has(part));
    if (referenced && !seen.includes(referenced)) {
      schema.blocks[snake] = { required, ...blockSchemaOf(source, referenced, [...seen, interfaceName]) };
    } else {
      schema.attributes[snake] = { required };
    }
  }
  return schema;
}

function configInterfaceName(source: ts.SourceFile): string {
  let name: string | undefined;
  source.forEachChild((node) => {
    if (
      ts.isInterfaceDeclaration(node) &&
      node.heritageClauses?.some((clause) =>
        clause.types.some((type) => type.getText(source) === 'cdktf.TerraformMetaArguments'),
      )
    ) {
      name = node.name.text;
    }
  });
  if (!name) {
    throw new Error(`no config interface in ${source.fileName}`);
  }
  return name;
}

function extract(packageDir: string, kind: 'resource' | 'data', type: string): BlockSchema {
  const folder = (kind === 'data' ? `data-${type}` : type.replace(/^aws_/, '')).replaceAll('_', '-');
  const file = join(packageDir, 'lib', folder, 'index.d.ts');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  return blockSchemaOf(source, configInterfaceName(source));
}

async function main(): Promise<void> {
  const packageDir = process.argv[2];
  if (!packageDir) {
    throw new Error('usage: extract-provider-schema.ts <path to node_modules/@cdktf/provider-aws>');
  }
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const providerVersion = /hashicorp\/aws provider version ([0-9.]+)/.exec(
    readFileSync(join(packageDir, 'README.md'), 'utf8'),
  )?.[1];
  const tree = await loadTerraformTree(join(HERE, '..'));
  const used = { resource: new Set<string>(), data: new Set<string>() };
  for (const module of tree.modules) {
    for (const block of module.resources) {
      used[block.kind].add(block.type);
    }
  }
  const schema: ProviderSchema = {
    provenance: {
      source: `@cdktf/provider-aws@${manifest.version} (npm), generated bindings of hashicorp/aws ${providerVersion}`,
      extractedBy: 'deploy/terraform/checks/extract-provider-schema.ts',
      extractedAt: new Date().toISOString().slice(0, 10),
    },
    providerVersion: providerVersion ?? 'unknown',
    resources: Object.fromEntries(
      [...used.resource].sort().map((type) => [type, extract(packageDir, 'resource', type)]),
    ),
    data: Object.fromEntries([...used.data].sort().map((type) => [type, extract(packageDir, 'data', type)])),
  };
  writeFileSync(join(HERE, 'provider-schema.json'), `${JSON.stringify(schema, null, 1)}\n`);
  console.log(
    `${Object.keys(schema.resources).length} resource and ${Object.keys(schema.data).length} data-source types ` +
      `from ${schema.provenance.source}`,
  );
}

await main();
