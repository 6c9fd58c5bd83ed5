import { relative } from 'node:path'
import { requirePath } from '../config/check-paths.ts'
import { bench, describe, expect } from 'vitest'
import type { HarnessConfig } from '../config/harness-options.ts'
import type { CaseKind } from '../model/case-result.ts'
import { harnessConfig } from '../vitest/context.ts'
import { benchTaskHandle, lastDeclaredTask } from '../vitest/task-handle.ts'
import { repeatPolicy } from '../analysis/repeat-policy.ts'
import type { RepeatsOption } from '../model/repeat-policy.ts'
import { CaseSession } from './case-session.ts'
import { manifestPathOf, type ManifestRef, type SampleSpec } from './samples.ts'
import { runRounds } from './repeat-rounds.ts'

/**
 * No tinybench warm-up and `iterations` samples (1 for a case's benches): the repeat policy (plugin/api/repeat-rounds.ts)
 * makes the pipeline runs, so Vitest's own bench table times the whole policy loop, not one run; the reports time each run.
 */
export function onceOptions(iterations = 1): { iterations: number; time: number; warmupIterations: number; warmupTime: number } {
  return { iterations, time: 0, warmupIterations: 0, warmupTime: 0 }
}

export interface BenchmarkOptions {
  sample: SampleSpec
  /**
   * Minimum measured runs per GPU count, or a repeat policy (default: the `repeats` option / BENCH_REPEATS, 1):
   * short runs repeat until stable, long runs stay at the minimum; see plugin/model/repeat-policy.ts.
   */
  repeats?: RepeatsOption
  /** Sample manifest of the real sample to project wall time for (default: none); see `sampleManifest`. */
  projectTo?: string | ManifestRef
}

export interface ScalingOptions extends BenchmarkOptions {
  /** GPU counts to measure; counts above what the machine has are skipped with the reason and projected. */
  gpus: number[]
}

export function callerFile(): string {
  // The bench file that called us: the third frame of a fresh stack (this function, the API function, the file).
  const line = new Error().stack?.split('\n').find((frame) => /\/(benches|validations)\//.test(frame)) ?? ''
  // `    at file:///repo/benches/x.bench.ts:3:1` or `    at fn (/repo/validations/y.test.ts:4:2)` → repo-relative path.
  const path = /(?:\(|\s)(?:file:\/\/)?(\/[^():]+\.ts)/.exec(line)?.[1]
  return path === undefined ? 'unknown' : relative(process.cwd(), path)
}

/** The case's own repeats, else the `repeats` option (BENCH_REPEATS), resolved once per worker. */
export function repeatsFor(options: Pick<BenchmarkOptions, 'repeats'>, config: Pick<HarnessConfig, 'repeats'>): RepeatsOption {
  return options.repeats ?? config.repeats
}

function gpuLabel(count: number): string {
  return count === 0 ? 'CPU' : `${count} GPU${count === 1 ? '' : 's'}`
}

/**
 * Declares one bench per GPU count; the case collects their runs, and after each run re-evaluates speedup,
 * utilisation and the real-sample projection. On a machine without GPUs it runs once on CPU and says GPU figures are
 * unavailable.
 */
function declareRuns(kind: CaseKind, title: string, counts: number[], options: BenchmarkOptions, params: Record<string, string | number | boolean | null>, cpuFallback = true): void {
  if (options.projectTo !== undefined) requirePath(`projectTo of "${title}"`, manifestPathOf(options.projectTo), 'file')
  const session = new CaseSession({ title, kind, file: callerFile(), sample: options.sample, params, ...(options.projectTo === undefined ? {} : { projectTo: manifestPathOf(options.projectTo) }) })
  const available = CaseSession.availableGpus().length
  const policy = repeatPolicy(repeatsFor(options, harnessConfig()))
  describe(title, () => {
    const runnable = available === 0 ? (cpuFallback ? [0] : []) : counts.filter((n) => n <= available)
    for (const count of counts.filter((n) => (available > 0 || !cpuFallback) && n > available)) {
      bench.skip(`${gpuLabel(count)} (skipped: this machine has ${available})`, () => {})
      session.noteSkip(`${gpuLabel(count)} not measured: this machine has ${available} GPU(s)`)
    }
    if (available === 0 && cpuFallback) session.noteSkip('no GPU on this machine: ran on CPU; GPU figures unavailable')
    // Issue 16: the first bench to run executes every count's runs in interleaved rounds; the others wait for it.
    let rounds: Promise<void> | undefined
    for (const count of runnable) {
      bench(
        gpuLabel(count),
        async () => {
          const missing = await session.missingReason()
          if (missing !== null) {
            await session.skip(missing, handle)
            return
          }
          // launcher.concurrent on Slurm: the first task submits every GPU count at once; each task collects its own.
          if (runnable.length > 1 && (await session.runsConcurrently())) await session.startTogether(runnable.map((n) => ({ mode: 'optimised', gpuCount: n })))
          rounds ??= runRounds(session, runnable, policy, handle)
          await rounds
          handle.task.meta.virnucpro = { caseId: session.id }
          const result = await session.persist(handle)
          if (session.strict) expect(result.warnings.map((w) => w.message), 'strict mode: threshold misses fail').toEqual([])
        },
        onceOptions(),
      )
      const handle = benchTaskHandle(lastDeclaredTask())
    }
  })
}

/** Wall time, per-stage time and speedup over GPU counts, with Amdahl projections for the counts not measured. */
export function scalingBenchmark(title: string, options: ScalingOptions): void {
  declareRuns('scaling', title, options.gpus, options, { gpus: options.gpus.join(',') })
}

/** Per-stage throughput (records/s, tokens/s) on all GPUs the machine has. */
export function stageThroughputBenchmark(title: string, options: BenchmarkOptions & { gpus?: number }): void {
  const gpus = options.gpus ?? Math.max(1, CaseSession.availableGpus().length)
  declareRuns('throughput', title, [gpus], options, { gpus })
}

/** GPU memory peak and average per stage on one GPU. */
export function memoryBenchmark(title: string, options: BenchmarkOptions): void {
  declareRuns('memory', title, [1], options, { gpus: 1 })
}

/** A full end-to-end run of a (real) sample, measured next to its projection. */
export function endToEndBenchmark(title: string, options: BenchmarkOptions & { gpus: number }): void {
  declareRuns('end-to-end', title, [options.gpus], options, { gpus: options.gpus }, false)
}
