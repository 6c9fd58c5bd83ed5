import { relative } from 'node:path'
import { requirePath } from '../config/check-paths.ts'
import { bench, describe, expect } from 'vitest'
import type { HarnessConfig } from '../config/harness-options.ts'
import type { CaseKind } from '../model/case-result.ts'
import { harnessConfig } from '../vitest/context.ts'
import { benchTaskHandle, lastDeclaredTask } from '../vitest/task-handle.ts'
import { CaseSession } from './case-session.ts'
import { manifestPathOf, type ManifestRef, type SampleSpec } from './samples.ts'

/** Each pipeline run is one tinybench sample: no warm-up run, exactly `repeats` runs. */
export function onceOptions(repeats: number): { iterations: number; time: number; warmupIterations: number; warmupTime: number } {
  return { iterations: repeats, time: 0, warmupIterations: 0, warmupTime: 0 }
}

export interface BenchmarkOptions {
  sample: SampleSpec
  /** Pipeline runs per GPU count (default: the `repeats` option, 1). With ≥ 3 the reports show median/min/max/spread. */
  repeats?: number
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

/** The case's own count, else the `repeats` option (BENCH_REPEATS), resolved once per worker. */
export function repeatsFor(options: Pick<BenchmarkOptions, 'repeats'>, config: Pick<HarnessConfig, 'repeats'>): number {
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
  const repeats = repeatsFor(options, harnessConfig())
  describe(title, () => {
    const runnable = available === 0 ? (cpuFallback ? [0] : []) : counts.filter((n) => n <= available)
    for (const count of counts.filter((n) => (available > 0 || !cpuFallback) && n > available)) {
      bench.skip(`${gpuLabel(count)} (skipped: this machine has ${available})`, () => {})
      session.noteSkip(`${gpuLabel(count)} not measured: this machine has ${available} GPU(s)`)
    }
    if (available === 0 && cpuFallback) session.noteSkip('no GPU on this machine: ran once on CPU; GPU figures unavailable')
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
          await session.run({ mode: 'optimised', gpuCount: count }, handle)
          const result = await session.persist(handle)
          if (session.strict) expect(result.warnings.map((w) => w.message), 'strict mode: threshold misses fail').toEqual([])
        },
        onceOptions(repeats),
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
