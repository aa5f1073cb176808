import { createHash } from 'node:crypto';

export interface ImageSpec {
  prompt: string;
  seed: number;
  width: number;
  height: number;
  /** Extra words for the footer line, e.g. `image 2/4`. */
  note?: string;
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for an SVG text node, dropping the control characters XML 1.0 does not allow. */
export function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/[&<>"']/g, (c) => {
    return XML_ESCAPES[c] ?? c;
  });
}

/** Greedy word wrap to `maxChars` per line (long words are split), at most `maxLines` lines, ellipsis on overflow. */
export function wrapText(text: string, maxChars: number, maxLines: number): string[] {
  if (maxChars < 1 || maxLines < 1) {
    return [];
  }
  const words = text.split(/\s+/).filter((word) => word.length > 0);
  const lines: string[] = [];
  let line = '';
  const pushLine = (): void => {
    lines.push(line);
    line = '';
  };
  for (let word of words) {
    while (word.length > maxChars) {
      if (line) {
        pushLine();
      }
      lines.push(word.slice(0, maxChars));
      word = word.slice(maxChars);
    }
    if (!line) {
      line = word;
    } else if (line.length + 1 + word.length <= maxChars) {
      line = `${line} ${word}`;
    } else {
      pushLine();
      line = word;
    }
  }
  if (line) {
    pushLine();
  }
  if (lines.length <= maxLines) {
    return lines;
  }
  const kept = lines.slice(0, maxLines);
  const last = kept[maxLines - 1] ?? '';
  kept[maxLines - 1] = `${last.slice(0, Math.max(0, maxChars - 1))}…`;
  return kept;
}

function hslToHex(hue: number, saturation: number, lightness: number): string {
  const s = saturation / 100;
  const l = lightness / 100;
  const k = (n: number): number => (n + hue / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number): string => {
    const value = l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
    return Math.round(value * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}

/** Two gradient colours and a few circle positions, all derived from a hash of prompt + seed. */
function palette(prompt: string, seed: number): { from: string; to: string; bytes: Buffer } {
  const bytes = createHash('sha256').update(`${seed}\n${prompt}`).digest();
  const hue = ((bytes[0] ?? 0) << 8) | (bytes[1] ?? 0);
  const baseHue = hue % 360;
  const shift = 40 + ((bytes[2] ?? 0) % 120);
  return {
    from: hslToHex(baseHue, 65, 42),
    to: hslToHex((baseHue + shift) % 360, 70, 30),
    bytes,
  };
}

/**
 * The SVG of a stub image: a gradient whose colours come from a hash of prompt + seed, a few soft circles,
 * the prompt wrapped to fit, and a footer with seed and size. Same input, same SVG.
 */
export function buildSvg({ prompt, seed, width, height, note }: ImageSpec): string {
  const { from, to, bytes } = palette(prompt, seed);
  const short = Math.min(width, height);
  const margin = Math.max(2, Math.round(short * 0.06));
  const fontSize = Math.max(6, Math.min(64, Math.round(short / 16)));
  const footerSize = Math.max(5, Math.round(fontSize * 0.6));
  const lineHeight = Math.round(fontSize * 1.25);
  // DejaVu Sans averages about 0.6 em per character.
  const maxChars = Math.floor((width - 2 * margin) / (fontSize * 0.6));
  const maxLines = Math.floor((height - 2 * margin - footerSize * 2) / lineHeight);
  const lines = wrapText(prompt, maxChars, maxLines);

  const circles = [0, 1, 2]
    .map((i) => {
      const cx = Math.round(((bytes[4 + i * 3] ?? 0) / 255) * width);
      const cy = Math.round(((bytes[5 + i * 3] ?? 0) / 255) * height);
      const r = Math.round(short * (0.15 + ((bytes[6 + i * 3] ?? 0) / 255) * 0.35));
      return `<circle cx="${cx}" cy="${cy}" r="${r}" fill="#ffffff" fill-opacity="0.08"/>`;
    })
    .join('');
  const textTop = margin + fontSize;
  const tspans = lines
    .map((line, i) => `<tspan x="${margin}" y="${textTop + i * lineHeight}">${escapeXml(line)}</tspan>`)
    .join('');
  const footer = escapeXml(`seed ${seed} · ${width}×${height}${note ? ` · ${note}` : ''}`);

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">`,
    `<stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/></linearGradient></defs>`,
    `<rect width="${width}" height="${height}" fill="url(#bg)"/>`,
    circles,
    `<text font-family="DejaVu Sans, sans-serif" font-size="${fontSize}" fill="#ffffff">${tspans}</text>`,
    `<text x="${margin}" y="${height - margin}" font-family="DejaVu Sans Mono, monospace" font-size="${footerSize}"`,
    ` fill="#ffffff" fill-opacity="0.85">${footer}</text>`,
    `</svg>`,
  ].join('');
}
