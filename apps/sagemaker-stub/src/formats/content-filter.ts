import type { GenerationRequest, ResponseOptions } from './server-format.js';

/**
 * A prompt containing `[filtered:2]` (or `[filtered:1,3]`) makes the model's filter block those images of the batch
 * (numbered from 1); the plain `[filtered]` trigger (ResponseOptions.contentFiltered) blocks them all. Only formats
 * that can say so per image use it: Stability's finishReason and imggen's outcome.
 */
const PARTIAL_FILTER = /\[filtered:(\d+(?:\s*,\s*\d+)*)\]/g;

/** Which images (0-based) of the batch the simulated filter blocks. */
export function filteredImages(request: GenerationRequest, options: ResponseOptions, count: number): Set<number> {
  if (options.contentFiltered) {
    return new Set(Array.from({ length: count }, (_, index) => index));
  }
  const blocked = new Set<number>();
  for (const match of request.prompts.join(' ').matchAll(PARTIAL_FILTER)) {
    for (const number of (match[1] ?? '').split(',')) {
      const index = Number(number.trim()) - 1;
      if (index >= 0 && index < count) {
        blocked.add(index);
      }
    }
  }
  return blocked;
}
