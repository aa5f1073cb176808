import sharp from 'sharp';
import { renderImage } from './render-image.js';
import { buildSvg, escapeXml, wrapText } from './svg.js';

describe('renderImage', () => {
  it.each([
    ['png', 1024, 1024],
    ['jpeg', 512, 768],
    ['webp', 1344, 768],
    ['png', 64, 40],
  ] as const)('renders %s at exactly %dx%d', async (format, width, height) => {
    const data = await renderImage({ prompt: 'a lighthouse at dusk', seed: 7, width, height }, format);
    const metadata = await sharp(data).metadata();
    expect([metadata.format, metadata.width, metadata.height]).toEqual([format, width, height]);
  });

  it('is deterministic: same prompt, seed, size and format give the same bytes', async () => {
    const spec = { prompt: 'A beautiful sunset over mountains', seed: 42, width: 512, height: 512 };
    for (const format of ['png', 'jpeg', 'webp'] as const) {
      const [first, second] = await Promise.all([renderImage(spec, format), renderImage({ ...spec }, format)]);
      expect(first.equals(second)).toBe(true);
    }
  });

  it('changes with the seed and the prompt', async () => {
    const spec = { prompt: 'same', seed: 1, width: 128, height: 128 };
    const base = await renderImage(spec, 'png');
    expect(base.equals(await renderImage({ ...spec, seed: 2 }, 'png'))).toBe(false);
    expect(base.equals(await renderImage({ ...spec, prompt: 'other' }, 'png'))).toBe(false);
  });

  it('renders prompts full of XML metacharacters and control characters', async () => {
    const prompt = '<svg onload="x"> & \'quotes\' </text>]]>\u0001\u0007 end';
    const data = await renderImage({ prompt, seed: 1, width: 256, height: 256 }, 'png');
    expect((await sharp(data).metadata()).width).toBe(256);
  });
});

describe('buildSvg', () => {
  it('shows the prompt, the seed and the size', () => {
    const svg = buildSvg({ prompt: 'a red fox', seed: 99, width: 640, height: 480, note: 'image 1/2' });
    expect(svg).toContain('a red fox');
    expect(svg).toContain('seed 99 · 640×480 · image 1/2');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="640" height="480"/);
  });

  it('escapes the prompt', () => {
    expect(buildSvg({ prompt: '<b>&', seed: 1, width: 640, height: 480 })).toContain('&lt;b&gt;&amp;');
  });
});

describe('escapeXml', () => {
  it('escapes the five XML characters and drops control characters', () => {
    expect(escapeXml(`a<b>&"c'\u0000\u001f\n`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;\n');
  });
});

describe('wrapText', () => {
  it('wraps on words, splits long words and ellipsizes overflow', () => {
    expect(wrapText('the quick brown fox', 10, 5)).toEqual(['the quick', 'brown fox']);
    expect(wrapText('abcdefghijkl', 5, 5)).toEqual(['abcde', 'fghij', 'kl']);
    expect(wrapText('one two three four five six', 9, 2)).toEqual(['one two', 'three…']);
    expect(wrapText('anything', 0, 3)).toEqual([]);
  });
});
