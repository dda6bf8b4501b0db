import cliProgress from 'cli-progress';

/** What a bar shows: the collector's progress, or history's (whose `unit` is streams or pages). */
export interface ProgressUpdate {
  phase: string;
  done: number;
  total: number;
  graphqlRemaining: number;
  coreRemaining: number;
  /** What is counted (default repos). */
  unit?: string;
}

/**
 * A progress bar on a terminal (repos done / total, budget left, ETA), nothing otherwise: when
 * stderr is not a terminal the structured logs tell the story.
 */
export function progressBar(stream: NodeJS.WritableStream): { update(p: ProgressUpdate): void; stop(): void } {
  if (!(stream as NodeJS.WriteStream).isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: stream as NodeJS.WriteStream,
      format: '{phase} [{bar}] {value}/{total} {unit} | GraphQL left {graphql} | REST left {core} | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let phase: string | null = null;
  return {
    update(p) {
      const payload = { phase: p.phase.padEnd(12), unit: p.unit ?? 'repos', graphql: Math.round(p.graphqlRemaining), core: Math.round(p.coreRemaining) };
      if (phase !== p.phase) {
        if (phase !== null) bar.stop();
        phase = p.phase;
        bar.start(p.total, p.done, payload);
      } else {
        if (p.total !== bar.getTotal()) bar.setTotal(p.total);
        bar.update(p.done, payload);
      }
    },
    stop() {
      if (phase !== null) bar.stop();
    },
  };
}
