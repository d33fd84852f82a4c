/**
 * How much of the machine the inference process takes. The viewer comes first: a clinician
 * scrolls while a model runs, and where WebGL is software-rendered (SwiftShader) or the GPU is
 * integrated, drawing a frame needs a CPU core of its own. So a model run uses every core but one
 * (at least one), its pool threads sleep instead of spinning while they wait for work, and the
 * process runs at the lowest priority. On a 2-core laptop that halves the model's cores and
 * slows a segmentation; docs/benchmarks.md has both sides of that trade.
 * LUMEN_INTRA_OP_THREADS and LUMEN_INFERENCE_NICENESS override the defaults (measuring, servers).
 */
import os from 'node:os';

/** Unix nice value of the inference process (Windows maps it to "idle" priority). */
export const DEFAULT_NICENESS = 19;

function envInteger(value: string | undefined, min: number, max: number): number | null {
  if (value === undefined || value.trim() === '') return null;
  const wanted = Number(value);
  return Number.isInteger(wanted) && wanted >= min && wanted <= max ? wanted : null;
}

/** Threads of one model run: every core but one, at least one. */
export function intraOpThreads(
  env: NodeJS.ProcessEnv = process.env,
  cores: number = os.availableParallelism(),
): number {
  return envInteger(env.LUMEN_INTRA_OP_THREADS, 1, 1024) ?? Math.max(1, cores - 1);
}

export function inferenceNiceness(env: NodeJS.ProcessEnv = process.env): number {
  return envInteger(env.LUMEN_INFERENCE_NICENESS, 0, 19) ?? DEFAULT_NICENESS;
}
