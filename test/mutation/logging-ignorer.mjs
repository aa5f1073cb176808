// Stryker ignorer: log calls are not behaviour, so their arguments are not mutated. It ignores exactly the calls
// `<...>.logger.<level>(...)` and `logger.<level>(...)`, and the statement made of one (Stryker's `CallExpression`
// mutator removes a call statement: a mutant of the statement, not of the call); everything else is mutated.
import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'assign', 'setContext']);

function isLoggerCall(node) {
  if (node?.type !== 'CallExpression' || node.callee.type !== 'MemberExpression') {
    return false;
  }
  const { object, property } = node.callee;
  if (property.type !== 'Identifier' || !LEVELS.has(property.name)) {
    return false;
  }
  const target = object.type === 'MemberExpression' ? object.property : object;
  return target?.type === 'Identifier' && target.name === 'logger';
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'logging', {
    shouldIgnore(path) {
      const call = path.node?.type === 'ExpressionStatement' ? path.node.expression : path.node;
      return isLoggerCall(call) ? 'log calls are not behaviour' : undefined;
    },
  }),
];
