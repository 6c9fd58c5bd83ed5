/**
 * The one interface between the harness and the system under test (MLPerf LoadGen style): the harness builds
 * requests, the target turns them into a command and knows where outputs land. Nothing else about the pipeline
 * leaks into the runner.
 */
import type { PythonInfo } from '../model/environment.ts'

export type RunMode = 'vanilla' | 'optimised'

export interface RunRequest {
  sample: { name: string; path: string }
  /**
   * A fixed folder for the pipeline to write to (must be empty or absent). Usually left out: the runner then makes a
   * fresh `<runDir>/out` and returns where it put the output (`RunResult.outputDir`).
   */
  outputDir?: string
  mode: RunMode
  /** Physical GPU indices; [] runs on the CPU. */
  gpus: number[]
  chunkLength: 300 | 500
  seed: number
  /** Fault injections (reference pipeline only), e.g. `crash-at:PREDICTION`. */
  inject: string[]
  keepIntermediate: boolean
  extraArgs: string[]
}

/** A request with its output folder settled by the runner: what a target builds the command from. */
export type PlacedRequest = RunRequest & { outputDir: string }

export interface CommandSpec {
  file: string
  args: string[]
  /** Added to the harness's own environment. */
  env: Record<string, string>
  cwd: string
}

/**
 * Where a run's outputs land (contract §2): the one description of the output folder. The runner finds the state file
 * through it, the comparison layer the embeddings, predictions and consensus, make-reference what to store.
 */
export interface OutputLayout {
  outputDir: string
  stem: string
  chunkedFasta: string
  nucleotideFasta: string
  proteinFasta: string
  nucleotideDir: string
  proteinDir: string
  mergedDir: string
  predictions: string
  consensus: string
  stateFile: string
  failedFiles: string
  /** Globs relative to outputDir: single-GPU `_DNABERT_S.pt` and multi-GPU `_DNABERT.pt` (contract §2 stage 5). */
  dnabertGlobs: string[]
  esmGlobs: string[]
  mergedGlobs: string[]
  esmV2Dir: string
}

export interface PipelineTarget {
  readonly kind: 'reference' | 'virnucpro'
  readonly name: string
  /** Chunk length the target runs with (`-m 300|500`). */
  readonly chunkLength: 300 | 500
  /**
   * Seconds the target needs between SIGTERM and exit before SIGKILL is fair (VirNucPro: about 30 s of worker
   * checkpointing, contract §6.18). Used when the config sets no killGraceSeconds.
   */
  readonly stopGraceSeconds?: number
  version(): Promise<string | null>
  buildCommand(req: PlacedRequest, python: PythonInfo): CommandSpec
  outputLayout(outputDir: string, inputPath: string): OutputLayout
}
