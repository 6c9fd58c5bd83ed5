import { bench, describe, expect } from 'vitest'
import type { CaseKind } from '../model/case-result.ts'
import { benchTaskHandle, lastDeclaredTask } from '../vitest/task-handle.ts'
import { repeatPolicy } from '../analysis/repeat-policy.ts'
import type { RepeatsOption } from '../model/repeat-policy.ts'
import { CaseSession } from './case-session.ts'
import { runRounds } from './repeat-rounds.ts'
import type { SampleSpec } from './samples.ts'

/**
 * One tinybench sample per bench, no tinybench warm-up: the repeat policy (plugin/api/repeat-rounds.ts) makes the
 * pipeline runs, so Vitest's own bench table times the whole policy loop, not one run; the reports time each run.
 */
function onceOptions(): { iterations: number; time: number; warmupIterations: number; warmupTime: number } {
  return { iterations: 1, time: 0, warmupIterations: 0, warmupTime: 0 }
}

export interface BenchmarkOptions {
  sample: SampleSpec
  /**
   * Minimum measured runs per GPU count, or a repeat policy (default: the `repeats` option / BENCH_REPEATS, 1):
   * short runs repeat until stable, long runs stay at the minimum; see plugin/model/repeat-policy.ts.
   */
  repeats?: RepeatsOption
  /** Sample manifest of the real sample to project wall time for (default: none). */
  projectTo?: string
}

export interface ScalingOptions extends BenchmarkOptions {
  /** GPU counts to measure; counts above what the machine has are skipped with the reason and projected. */
  gpus: number[]
}

function callerFile(): string {
  // The bench file that called us: the third frame of a fresh stack (this function, the API function, the file).
  const line = new Error().stack?.split('\n').find((frame) => /\/(benches|validations)\//.test(frame)) ?? ''
  return /\(?(?:file:\/\/)?([^():]+\.ts)/.exec(line)?.[1] ?? 'unknown'
}

function repeatsFrom(options: BenchmarkOptions): RepeatsOption {
  const fromEnv = Number(process.env.BENCH_REPEATS)
  return options.repeats ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 1)
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
  const session = new CaseSession({ title, kind, file: callerFile(), sample: options.sample, params, ...(options.projectTo === undefined ? {} : { projectTo: options.projectTo }) })
  const available = CaseSession.availableGpus().length
  const policy = repeatPolicy(repeatsFrom(options))
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
