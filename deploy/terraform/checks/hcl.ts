import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseHcl } from './hcl2json.js';

/** One HCL body as @cdktf/hcl2json gives it: blocks are arrays of bodies, attributes are values. */
export type HclBody = Record<string, unknown>;

export interface ResourceBlock {
  kind: 'resource' | 'data';
  type: string;
  name: string;
  body: HclBody;
  file: string;
}

export interface ModuleCall {
  name: string;
  source: string;
  args: HclBody;
  file: string;
}

/** The .tf files of one directory: a Terraform module (or a root such as envs/dev). */
export interface TerraformModule {
  dir: string;
  /** Path relative to the tree's root, e.g. `modules/data`. */
  path: string;
  files: string[];
  variables: Map<string, HclBody>;
  outputs: Map<string, HclBody>;
  locals: Map<string, unknown>;
  resources: ResourceBlock[];
  moduleCalls: ModuleCall[];
  terraform: HclBody[];
  providers: Map<string, HclBody[]>;
}

export interface TerraformTree {
  root: string;
  modules: TerraformModule[];
}

const SKIPPED_DIRS = new Set(['node_modules', '.terraform', 'checks']);

function terraformDirs(dir: string): string[] {
  const entries = readdirSync(dir);
  const here = entries.some((entry) => entry.endsWith('.tf')) ? [dir] : [];
  const below = entries
    .filter((entry) => !SKIPPED_DIRS.has(entry) && statSync(join(dir, entry)).isDirectory())
    .flatMap((entry) => terraformDirs(join(dir, entry)));
  return [...here, ...below];
}

function blocksOf(value: unknown): HclBody[] {
  return Array.isArray(value) ? (value as HclBody[]) : [];
}

/** Parses one directory's .tf files with the real HCL parser (HashiCorp's, compiled to WebAssembly). */
export async function loadTerraformModule(dir: string, root = dir): Promise<TerraformModule> {
  const module: TerraformModule = {
    dir,
    path: relative(root, dir) || '.',
    files: [],
    variables: new Map(),
    outputs: new Map(),
    locals: new Map(),
    resources: [],
    moduleCalls: [],
    terraform: [],
    providers: new Map(),
  };
  for (const file of readdirSync(dir)
    .filter((entry) => entry.endsWith('.tf'))
    .sort()) {
    const path = join(dir, file);
    module.files.push(path);
    const parsed = await parseHcl(path, readFileSync(path, 'utf8'));
    for (const [name, bodies] of Object.entries((parsed.variable ?? {}) as Record<string, unknown>)) {
      module.variables.set(name, blocksOf(bodies)[0] ?? {});
    }
    for (const [name, bodies] of Object.entries((parsed.output ?? {}) as Record<string, unknown>)) {
      module.outputs.set(name, blocksOf(bodies)[0] ?? {});
    }
    for (const locals of blocksOf(parsed.locals)) {
      for (const [name, value] of Object.entries(locals)) {
        module.locals.set(name, value);
      }
    }
    for (const kind of ['resource', 'data'] as const) {
      for (const [type, named] of Object.entries((parsed[kind] ?? {}) as Record<string, Record<string, unknown>>)) {
        for (const [name, bodies] of Object.entries(named)) {
          module.resources.push({ kind, type, name, body: blocksOf(bodies)[0] ?? {}, file: path });
        }
      }
    }
    for (const [name, bodies] of Object.entries((parsed.module ?? {}) as Record<string, unknown>)) {
      const { source, ...args } = blocksOf(bodies)[0] ?? {};
      module.moduleCalls.push({ name, source: String(source), args, file: path });
    }
    module.terraform.push(...blocksOf(parsed.terraform));
    for (const [name, bodies] of Object.entries((parsed.provider ?? {}) as Record<string, unknown>)) {
      module.providers.set(name, blocksOf(bodies));
    }
  }
  return module;
}

/** Every directory under `root` holding .tf files (the checks' own folder and its fixtures left out). */
export async function loadTerraformTree(root: string): Promise<TerraformTree> {
  const absolute = resolve(root);
  const modules: TerraformModule[] = [];
  for (const dir of terraformDirs(absolute)) {
    modules.push(await loadTerraformModule(dir, absolute));
  }
  return { root: absolute, modules };
}

export function findModule(tree: TerraformTree, dir: string): TerraformModule | undefined {
  const wanted = resolve(dir);
  return tree.modules.find((module) => module.dir === wanted);
}

/** `${...}` strings anywhere in a value, e.g. every expression of a resource body. */
export function expressionsIn(value: unknown): string[] {
  if (typeof value === 'string') {
    return value.includes('${') ? [value] : [];
  }
  if (Array.isArray(value)) {
    return value.flatMap(expressionsIn);
  }
  if (value !== null && typeof value === 'object') {
    return Object.values(value).flatMap(expressionsIn);
  }
  return [];
}
