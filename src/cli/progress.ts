import cliProgress from 'cli-progress';
import type { CollectProgress } from '../collect/index.js';

/**
 * A progress bar on a terminal (repos done / total, budget left, ETA), nothing otherwise: when
 * stderr is not a terminal the structured logs tell the story.
 */
export function progressBar(stream: NodeJS.WritableStream): { update(p: CollectProgress): void; stop(): void } {
  if (!(stream as NodeJS.WriteStream).isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: stream as NodeJS.WriteStream,
      format: '{phase} [{bar}] {value}/{total} repos | GraphQL left {graphql} | REST left {core} | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let phase: string | null = null;
  return {
    update(p) {
      const payload = { phase: p.phase.padEnd(12), graphql: Math.round(p.graphqlRemaining), core: Math.round(p.coreRemaining) };
      if (phase !== p.phase) {
        if (phase !== null) bar.stop();
        phase = p.phase;
        bar.start(p.total, p.done, payload);
      } else {
        bar.update(p.done, payload);
      }
    },
    stop() {
      if (phase !== null) bar.stop();
    },
  };
}
