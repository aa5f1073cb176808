// Jest test sequencer for mutation runs. Stryker runs jest with `--findRelatedTests <mutated files>`, which also
// loads every spec that reaches a module through a barrel (the API and worker services...): seconds per mutant, and
// other modules' tests. This keeps each mutated module's own unit spec (`<name>.spec.ts` beside `<name>.ts`) or,
// when it has none, the related specs in its folder (the codecs share `codecs.spec.ts`).
// Without --findRelatedTests it keeps every test.
import path from 'node:path';
import Sequencer from '@jest/test-sequencer';

function ownSpecs(tests, file) {
  const { dir, name } = path.parse(path.resolve(file));
  const spec = path.join(dir, `${name}.spec.ts`);
  const named = tests.filter((test) => test.path === spec);
  return named.length > 0 ? named : tests.filter((test) => path.dirname(test.path) === dir);
}

export default class OwnSpecsSequencer extends Sequencer {
  constructor(options) {
    super(options);
    const { findRelatedTests, nonFlagArgs } = options.globalConfig;
    this.mutatedFiles = findRelatedTests ? nonFlagArgs : undefined;
  }

  sort(tests) {
    if (!this.mutatedFiles) {
      return super.sort(tests);
    }
    const kept = new Set(this.mutatedFiles.flatMap((file) => ownSpecs(tests, file)));
    return super.sort([...kept]);
  }
}
