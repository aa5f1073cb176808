import type { MessageQueue } from '#libs/aws';

/** Takes every message off `queue` (nobody else may be consuming it) and returns their bodies. */
export async function drain(queue: MessageQueue): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const messages = await queue.receive({ maxMessages: 10, waitTimeSeconds: 0, visibilityTimeoutSeconds: 300 });
    if (messages.length === 0 && (await queue.depth()).visible === 0) {
      return bodies;
    }
    for (const message of messages) {
      bodies.push(message.body);
      await queue.delete(message.receiptHandle);
    }
  }
}

/** A copy of `items` in an order fixed by `seed` (Fisher-Yates over mulberry32), so a failure can be replayed. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}
