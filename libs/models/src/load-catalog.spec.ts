import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILT_IN_MODELS } from './built-in-catalog.js';
import { ModelCatalogError } from './errors.js';
import { loadModelCatalog } from './load-catalog.js';

describe('loadModelCatalog', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'imggen-load-catalog-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps each model’s own mode without SAGEMAKER_MODE', () => {
    const realtimeTurbo = BUILT_IN_MODELS.map((model) =>
      model.id === 'sdxl-turbo' ? { ...model, mode: 'realtime' as const } : model,
    );
    const file = join(dir, 'mixed.json');
    writeFileSync(file, JSON.stringify(realtimeTurbo));
    const catalog = loadModelCatalog({ modelCatalogFile: file });
    expect(catalog.get('sdxl-turbo').mode).toBe('realtime');
    expect(catalog.get('stable-diffusion-xl').mode).toBe('async');
  });

  it('puts every model in SAGEMAKER_MODE, the rest of each definition unchanged', () => {
    const catalog = loadModelCatalog({ sagemakerMode: 'realtime' });
    expect(catalog.list().map((model) => model.mode)).toEqual(BUILT_IN_MODELS.map(() => 'realtime'));
    expect(catalog.list().map(({ mode: _mode, ...rest }) => rest)).toEqual(
      BUILT_IN_MODELS.map(({ mode: _mode, ...rest }) => rest),
    );
    expect(
      loadModelCatalog({ sagemakerMode: 'async' })
        .list()
        .every((model) => model.mode === 'async'),
    ).toBe(true);
  });

  it('fails naming the file, the entry and the field of a bad catalog', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify([BUILT_IN_MODELS[0], { ...BUILT_IN_MODELS[1], id: 'sd21-fast', defaults: { steps: 0 } }]),
    );
    expect(() => loadModelCatalog({ modelCatalogFile: file, sagemakerMode: 'realtime' })).toThrow(ModelCatalogError);
    expect(() => loadModelCatalog({ modelCatalogFile: file })).toThrow(
      new RegExp(`${file}[\\s\\S]*entry 1 \\(id 'sd21-fast'\\): defaults\\.width`),
    );
  });
});
