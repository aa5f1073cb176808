import { createRequire } from 'node:module';

/**
 * @cdktf/hcl2json (HashiCorp's HCL parser compiled to WebAssembly), loaded without its type declarations: they pull
 * in the DOM lib (`/// <reference lib="dom" />`), which would change fetch's types for the whole project.
 */
interface Hcl2Json {
  parse(filename: string, contents: string): Promise<Record<string, unknown>>;
  getReferencesInExpression(filename: string, expression: string): Promise<Array<{ value: string }>>;
}

const hcl2json = createRequire(import.meta.url)('@cdktf/hcl2json') as Hcl2Json;

export const parseHcl = (filename: string, contents: string): Promise<Record<string, unknown>> =>
  hcl2json.parse(filename, contents);

export const referencesInExpression = (filename: string, expression: string): Promise<Array<{ value: string }>> =>
  hcl2json.getReferencesInExpression(filename, expression);
