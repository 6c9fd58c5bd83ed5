/**
 * The projection's own test, as a bench case: run a short calibration sweep, then held-out samples of other shapes;
 * each held-out sample is projected from the sweep alone (its own run never enters the fit) and measured, and the
 * pair goes into the report with the error. One case per sample, so a crash loses nothing finished.
 */
import { bench, describe } from 'vitest'
import { calibrationRuns, projectSample } from '../analysis/projection.ts'
import { projectionCheck } from '../analysis/projection-check.ts'
import { runChunkLength, sampleWorkFromProfile, targetModel, type SampleWork } from '../analysis/sample-work.ts'
import { describeProfile } from '../data/sample-profile.ts'
import type { RunResult } from '../model/run-result.ts'
import { benchTaskHandle, lastDeclaredTask, type TaskHandle } from '../vitest/task-handle.ts'
import { callerFile, onceOptions, repeatsFor } from './benchmarks.ts'
import { repeatPolicy } from '../analysis/repeat-policy.ts'
import { harnessConfig } from '../vitest/context.ts'
import { CaseSession } from './case-session.ts'
import type { SampleSpec } from './samples.ts'

export interface ProjectionCheckOptions {
  /** Calibration samples: a few length profiles and sizes (together a few minutes on one GPU). */
  sweep: SampleSpec[]
  /** Samples of other shapes to project from the sweep and then measure. */
  heldOut: SampleSpec[]
  /** Pipeline runs per calibration sample (default: the `repeats` option, 1); repeats narrow the interval honestly. */
  repeats?: number
  /** One unmeasured run of the first sweep sample before the sweep (default true): the sweep calibrates on warm runs. */
  warmup?: boolean
}

/** The sweep's runs and the work of their samples, shared by the held-out benches of one case file. */
class Calibration {
  readonly runs: RunResult[] = []
  private readonly works = new Map<string, SampleWork>()

  async add(run: RunResult): Promise<void> {
    this.runs.push(run)
    await this.describe(run)
  }

  /** The exact work of a run's sample, described once with the vanilla rules at the run's chunk length. */
  async describe(run: RunResult): Promise<SampleWork> {
    const known = this.works.get(run.sample.name)
    if (known !== undefined) return known
    const profile = await describeProfile(run.sample.path, runChunkLength(run))
    const work = sampleWorkFromProfile(run.sample.name, profile.inputRecords, profile.bases, profile.work, targetModel(run))
    this.works.set(run.sample.name, work)
    return work
  }

  workOf(run: RunResult): SampleWork {
    const work = this.works.get(run.sample.name)
    if (work === undefined) throw new Error(`no work profile for calibration sample ${run.sample.name}`)
    return work
  }
}

function gpuCount(): number {
  return CaseSession.availableGpus().length > 0 ? 1 : 0
}

async function runOrSkip(session: CaseSession, handle: TaskHandle, warmup = false): Promise<RunResult | null> {
  const missing = await session.missingReason()
  if (missing !== null) {
    await session.skip(missing, handle)
    return null
  }
  if (warmup) {
    // The session's first pipeline run pays the cold file cache and lazy CUDA start-up (H200, 2026-12-01: model loads
    // 3.1 s and 2.1 s against 1.2 s and ≤ 0.5 s in every later run); the long runs projected later do not. Run it
    // once unmeasured (shown apart as a warm-up) so that the sweep calibrates on warm runs only.
    const warm = await session.run({ mode: 'optimised', gpuCount: gpuCount(), warmupIf: () => true }, handle)
    if (warm.outcome !== 'succeeded') return warm
  }
  return session.run({ mode: 'optimised', gpuCount: gpuCount() }, handle)
}

async function check(session: CaseSession, calibration: Calibration, handle: TaskHandle): Promise<void> {
  const run = await runOrSkip(session, handle)
  if (run === null) return
  if (calibration.runs.length === 0) {
    session.noteSkip('no calibration run finished: nothing to project from')
    await session.persist(handle)
    return
  }
  const { projections, notProjected } = projectSample({
    caseId: session.id,
    calibration: calibrationRuns(calibration.runs, (r) => calibration.workOf(r)),
    target: targetModel(run),
    sample: await calibration.describe(run),
    sequenceCount: run.counts.inputRecords ?? 0,
    gpus: [run.gpuCount],
    thresholds: null,
  })
  const projection = projections[0]
  if (projection === undefined) {
    session.noteSkip(`not projected: ${notProjected[0]?.reason ?? 'no projection'}`)
  } else {
    session.recordProjectionCheck(projectionCheck(projection, run.wallSeconds))
  }
  await session.persist(handle)
}

/** Declares the sweep's benches, then one per held-out sample; they run in order in one worker. */
export function projectionCheckBenchmark(title: string, options: ProjectionCheckOptions): void {
  const file = callerFile()
  const calibration = new Calibration()
  const repeats = repeatPolicy(repeatsFor(options, harnessConfig())).minRuns
  describe(title, () => {
    options.sweep.forEach((sample, index) => {
      const session = new CaseSession({ title: `${title}: calibrate on ${sample.label}`, kind: 'throughput', file, sample, params: { role: 'calibration' } })
      bench(
        `calibrate: ${sample.label}`,
        async () => {
          const run = await runOrSkip(session, handle, index === 0 && options.warmup !== false && session.runsSoFar.length === 0)
          if (run !== null && run.outcome === 'succeeded') await calibration.add(run)
        },
        onceOptions(repeats),
      )
      const handle = benchTaskHandle(lastDeclaredTask())
    })
    for (const sample of options.heldOut) {
      const session = new CaseSession({ title: `${title}: held out ${sample.label}`, kind: 'throughput', file, sample, params: { role: 'held-out' } })
      // An async function, not one returning a promise: tinybench calls a plain function once more to find out.
      bench(
        `held out: ${sample.label}`,
        async () => {
          await check(session, calibration, handle)
        },
        onceOptions(1),
      )
      const handle = benchTaskHandle(lastDeclaredTask())
    }
  })
}
