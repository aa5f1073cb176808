import type { ImageOutcome, Job } from '../api/types';

const REASONS: Record<Exclude<ImageOutcome, 'ok'>, string> = {
  filtered: 'blocked by the model’s content filter',
  failed: 'the model failed to make it',
};

/** One line per image the model did not deliver, in batch order: which one and why. */
export function missingImages(
  outcomes: Job['imageOutcomes'],
): { index: number; outcome: ImageOutcome; reason: string }[] {
  if (!outcomes) {
    return [];
  }
  return outcomes.outcomes.flatMap((outcome, index) =>
    outcome === 'ok' ? [] : [{ index, outcome, reason: REASONS[outcome] }],
  );
}

/** "2 of 3 images delivered" and the reason for each missing one; nothing when every image came out. */
export function ImageOutcomes({ outcomes }: { outcomes: Job['imageOutcomes'] }) {
  const missing = missingImages(outcomes);
  if (!outcomes || missing.length === 0) {
    return null;
  }
  const total = outcomes.outcomes.length;
  return (
    <section className="outcomes" aria-labelledby="outcomes-heading">
      <h3 id="outcomes-heading">
        {outcomes.ok} of {total} {total === 1 ? 'image' : 'images'} delivered
      </h3>
      <ul>
        {missing.map(({ index, outcome, reason }) => (
          <li key={index} data-outcome={outcome}>
            Image {index + 1}: <strong>{outcome}</strong>, {reason}
          </li>
        ))}
      </ul>
    </section>
  );
}
