import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILT_IN_MODELS } from './built-in-catalog.js';
import { ModelCatalog } from './catalog.js';
import { ModelCatalogError, UnknownModelError } from './errors.js';
import type { ModelDefinition } from './model-definition.js';

function model(overrides: Partial<ModelDefinition> = {}): ModelDefinition {
  return {
    id: 'test-model',
    displayName: 'Test',
    description: 'A test model',
    endpointName: 'test-endpoint',
    mode: 'async',
    codec: 'jumpstart-sd',
    default: true,
    defaults: { width: 512, height: 512, outputFormat: 'png', numImages: 1, guidanceScale: 7, steps: 20 },
    limits: { maxSteps: 50, minSize: 256, maxSize: 1024, sizeMultiple: 8, maxImages: 4, maxPromptLength: 100 },
    hosting: { instanceType: 'ml.g5.xlarge', hourlyUsd: 1.408, coldStartSeconds: 360 },
    timing: { secondsPerStepMegapixel: 0.183, overheadSecondsPerImage: 0.3 },
    ...overrides,
  };
}

function catalogError(fn: () => unknown): ModelCatalogError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ModelCatalogError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a ModelCatalogError');
}

describe('ModelCatalog', () => {
  describe('builtIn', () => {
    const catalog = ModelCatalog.builtIn();

    it('lists the built-in models, SDXL being the default', () => {
      expect(catalog.list().map((m) => m.id)).toEqual([
        'stable-diffusion-xl',
        'stable-diffusion-2-1',
        'stability-sdxl',
        'imggen-sdxl',
        'sdxl-turbo',
      ]);
      expect(catalog.defaultModel().id).toBe('stable-diffusion-xl');
      expect(catalog.list().every((m) => m.mode === 'async')).toBe(true);
    });

    it('finds, gets and names endpoints', () => {
      expect(catalog.find('stable-diffusion-2-1')?.codec).toBe('jumpstart-sd');
      expect(catalog.find('nope')).toBeUndefined();
      expect(catalog.get('stability-sdxl').endpointName).toBe('imggen-stability-sdxl-async');
      expect(catalog.endpointNames()).toEqual([
        'imggen-sdxl-async',
        'imggen-sd21-async',
        'imggen-stability-sdxl-async',
        'imggen-model-sdxl-async',
        'imggen-model-sdxl-turbo-async',
      ]);
    });

    it('runs our own container for imggen-sdxl and the distilled sdxl-turbo, both reporting progress', () => {
      const imggen = catalog.list().filter((m) => m.codec === 'imggen');
      expect(imggen.map((m) => m.id)).toEqual(['imggen-sdxl', 'sdxl-turbo']);
      expect(imggen.every((m) => m.reportsProgress === true)).toBe(true);
      expect(
        catalog
          .list()
          .filter((m) => m.reportsProgress)
          .map((m) => m.id),
      ).toEqual(['imggen-sdxl', 'sdxl-turbo']);
      const turbo = catalog.get('sdxl-turbo');
      expect(turbo.defaults).toMatchObject({ steps: 1, guidanceScale: 0, width: 512, height: 512 });
      expect(turbo.limits).toMatchObject({ maxSteps: 4, maxGuidanceScale: 0 });
    });

    it('throws UnknownModelError from get()', () => {
      expect(() => catalog.get('nope')).toThrow(UnknownModelError);
      try {
        catalog.get('nope');
      } catch (error) {
        expect((error as UnknownModelError).modelId).toBe('nope');
      }
    });

    it('keeps one image per call for jumpstart-sdxl', () => {
      for (const def of catalog.list().filter((m) => m.codec === 'jumpstart-sdxl')) {
        expect(def.limits.maxImages).toBe(1);
      }
    });

    it('cannot be changed through what it returns', () => {
      const def = catalog.get('stable-diffusion-xl');
      expect(() => {
        def.defaults.steps = 1;
      }).toThrow(TypeError);
      expect(ModelCatalog.builtIn().get('stable-diffusion-xl').defaults.steps).toBe(30);
      expect(BUILT_IN_MODELS[0]?.defaults.steps).toBe(30);
    });
  });

  describe('fromDefinitions', () => {
    it('accepts a valid catalog', () => {
      const catalog = ModelCatalog.fromDefinitions([model(), model({ id: 'other', default: false })]);
      expect(catalog.list()).toHaveLength(2);
      expect(catalog.endpointNames()).toEqual(['test-endpoint']);
    });

    it('rejects duplicate ids', () => {
      const error = catalogError(() => ModelCatalog.fromDefinitions([model(), model({ default: false })]));
      expect(error.issues).toContain("duplicate model id 'test-model'");
    });

    it('requires exactly one default', () => {
      expect(catalogError(() => ModelCatalog.fromDefinitions([model({ default: false })])).message).toMatch(
        /no model is marked "default": true/,
      );
      expect(catalogError(() => ModelCatalog.fromDefinitions([model(), model({ id: 'b' })])).message).toMatch(
        /exactly one model must be the default, found 2: test-model, b/,
      );
    });

    it('rejects an empty catalog', () => {
      expect(catalogError(() => ModelCatalog.fromDefinitions([])).issues).toContain('the catalog is empty');
    });

    it('names the entry and the field of a bad value', () => {
      const bad = model({ limits: { ...model().limits, maxSteps: -1 } });
      const error = catalogError(() => ModelCatalog.fromDefinitions([model({ id: 'ok' }), bad]));
      expect(error.issues).toHaveLength(1);
      expect(error.issues[0]).toMatch(/^entry 1 \(id 'test-model'\): limits\.maxSteps: /);
    });

    it('checks the defaults against the limits', () => {
      const bad = model({
        defaults: { ...model().defaults, width: 300, steps: 60, numImages: 5 },
      });
      const error = catalogError(() => ModelCatalog.fromDefinitions([bad]));
      expect(error.issues).toEqual(
        expect.arrayContaining([
          expect.stringContaining('defaults.width: must be a multiple of limits.sizeMultiple (8)'),
          expect.stringContaining('defaults.steps: must not exceed limits.maxSteps (50)'),
          expect.stringContaining('defaults.numImages: must not exceed limits.maxImages (4)'),
        ]),
      );
    });

    it('checks the default guidance against maxGuidanceScale', () => {
      const bad = model({ limits: { ...model().limits, maxGuidanceScale: 0 } });
      expect(catalogError(() => ModelCatalog.fromDefinitions([bad])).message).toMatch(
        /defaults\.guidanceScale: must not exceed limits\.maxGuidanceScale \(0\)/,
      );
      const distilled = model({
        codec: 'imggen',
        reportsProgress: true,
        defaults: { ...model().defaults, guidanceScale: 0 },
        limits: { ...model().limits, maxGuidanceScale: 0 },
      });
      expect(ModelCatalog.fromDefinitions([distilled]).get('test-model').reportsProgress).toBe(true);
      expect(
        catalogError(() => ModelCatalog.fromDefinitions([model({ reportsProgress: 'yes' as never })])).message,
      ).toMatch(/reportsProgress/);
    });

    it('checks minSteps against maxSteps and the default steps', () => {
      const bad = model({ limits: { ...model().limits, minSteps: 25 } });
      expect(catalogError(() => ModelCatalog.fromDefinitions([bad])).message).toMatch(
        /defaults\.steps: must be at least limits\.minSteps \(25\)/,
      );
      const inverted = model({ limits: { ...model().limits, minSteps: 60 } });
      expect(catalogError(() => ModelCatalog.fromDefinitions([inverted])).message).toMatch(
        /limits\.minSteps: must not exceed limits\.maxSteps \(50\)/,
      );
    });

    it('rejects more images than the codec returns per call', () => {
      const bad = model({ codec: 'jumpstart-sdxl' });
      expect(catalogError(() => ModelCatalog.fromDefinitions([bad])).message).toMatch(
        /limits\.maxImages: codec jumpstart-sdxl returns at most 1 image/,
      );
    });

    it('rejects a bad endpoint name', () => {
      expect(catalogError(() => ModelCatalog.fromDefinitions([model({ endpointName: 'bad_name' })])).message).toMatch(
        /entry 0 \(id 'test-model'\): endpointName: is not a valid SageMaker endpoint name/,
      );
    });

    it('rejects a default size outside allowedSizes', () => {
      const bad = model({ limits: { ...model().limits, allowedSizes: [[768, 512]] } });
      expect(catalogError(() => ModelCatalog.fromDefinitions([bad])).message).toMatch(
        /defaults\.width: 512x512 is not one of limits\.allowedSizes/,
      );
    });

    it('rejects models sharing an endpoint with different codecs', () => {
      const error = catalogError(() =>
        ModelCatalog.fromDefinitions([model(), model({ id: 'b', default: false, codec: 'stability-sdxl' })]),
      );
      expect(error.message).toMatch(/share endpoint test-endpoint but differ in codec or mode/);
    });
  });

  describe('fromFile', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'imggen-models-'));
    });
    afterAll(() => {
      rmSync(dir, { recursive: true, force: true });
    });
    const write = (name: string, content: string): string => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    };

    it('loads a valid JSON catalog', () => {
      const path = write('ok.json', JSON.stringify([model()]));
      expect(ModelCatalog.fromFile(path).defaultModel().id).toBe('test-model');
    });

    it('loads the built-in catalog written as JSON', () => {
      const path = write('built-in.json', JSON.stringify(BUILT_IN_MODELS));
      expect(ModelCatalog.fromFile(path).list()).toEqual(ModelCatalog.builtIn().list());
    });

    it('names the file, the entry and the field', () => {
      const entry = { ...model(), mode: 'batch', limits: { ...model().limits, maxImages: '4' } };
      const path = write('bad.json', JSON.stringify([entry]));
      const error = catalogError(() => ModelCatalog.fromFile(path));
      expect(error.source).toBe(path);
      expect(error.message).toContain(path);
      expect(error.issues).toEqual([
        expect.stringMatching(/^entry 0 \(id 'test-model'\): mode: /),
        expect.stringMatching(/^entry 0 \(id 'test-model'\): limits\.maxImages: /),
      ]);
    });

    it('reports unknown fields', () => {
      const path = write('extra.json', JSON.stringify([{ ...model(), endpoint: 'typo' }]));
      expect(catalogError(() => ModelCatalog.fromFile(path)).message).toMatch(/entry 0 .*endpoint/);
    });

    it('reports JSON syntax errors, non-arrays and missing files', () => {
      expect(catalogError(() => ModelCatalog.fromFile(write('syntax.json', '[{'))).message).toMatch(/not valid JSON/);
      expect(catalogError(() => ModelCatalog.fromFile(write('object.json', '{}'))).message).toMatch(
        /must be a JSON array/,
      );
      expect(catalogError(() => ModelCatalog.fromFile(join(dir, 'missing.json'))).message).toMatch(/cannot read/);
    });
  });
});
