import { loadavg } from 'node:os'
import { SpanLog, summariseOverhead } from '../analysis/overhead.ts'
import type { ManifestLike } from '../analysis/projection.ts'
import { runEfficiency } from '../analysis/run-efficiency.ts'
import type { CaseKind, CaseResult, Expectation } from '../model/case-result.ts'
import type { ProjectionCheck } from '../model/projection-check.ts'
import type { RunResult } from '../model/run-result.ts'
import type { Warning } from '../model/thresholds.ts'
import type { Comparison } from '../model/validation.ts'
import { runPipeline, type RunRequest } from '../pipeline/index.ts'
import { loadManifestLike } from '../report/load-manifest.ts'
import type { EvaluatedCase } from '../report/schema.ts'
import type { TaskHandle } from '../vitest/task-handle.ts'
import { CaseRecord } from './case-record.ts'
import { harnessServices, type CaseTarget, type HarnessServices, type TargetSettings } from './harness-services.ts'
import type { ResolvedSample, SampleSpec } from './samples.ts'
import { sampleFacts, type SampleFacts } from './sample-facts.ts'
import { diagnoseRun } from '../analysis/run-diagnosis.ts'
import { caseIdFor } from '../model/case-id.ts'

export interface CaseSpec {
  title: string
  kind: CaseKind
  file: string
  sample: SampleSpec
  /** A sample manifest to project the real sample's wall time from (scaling and end-to-end cases). */
  projectTo?: string
  params?: Record<string, string | number | boolean | null>
  /** Run the reference pipeline as a stored reference was made (model size, seed, chunk length). */
  like?: TargetSettings
  /** A case that expects a verdict (an injected fault must be caught). */
  expectation?: Expectation
}

export interface RunSpec {
  mode: 'vanilla' | 'optimised'
  gpuCount: number
  inject?: string[]
  keepIntermediate?: boolean
  extraArgs?: string[]
  /** Decides, once the run ended, whether it was a warm-up (repeat policy); absent: measured. */
  warmupIf?: (wallSeconds: number) => boolean
}

/** Seconds since `startMs` (performance clock). */
function since(startMs: number): number {
  return (performance.now() - startMs) / 1000
}

/** Times `work` into the case's span log: the harness's own cost is measured, not guessed (issue 16). */
async function timed<T>(spans: SpanLog, name: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now()
  try {
    return await work()
  } finally {
    spans.add(name, since(start))
  }
}

/** What a case resolves once, on first use: its sample, its target and the manifest it projects to. */
interface Prepared {
  sample: ResolvedSample & { status: 'ready' }
  target: CaseTarget
  facts: SampleFacts
  manifest: ManifestLike | undefined
}

function runKey(run: RunSpec): string {
  return JSON.stringify([run.mode, run.gpuCount, run.inject ?? [], run.extraArgs ?? []])
}

/**
 * One benchmark or validation case across its Vitest tasks. It combines what the harness offers (HarnessServices,
 * built once per worker) with what the case gathers (CaseRecord), runs the pipeline, and persists the case, evaluated,
 * after every run so that a crash loses nothing finished.
 */
export class CaseSession {
  readonly id: string
  private readonly spec: CaseSpec
  private readonly record: CaseRecord
  private prepared: Promise<Prepared | { missing: string }> | undefined
  private readonly emitted = new Set<string>()
  /** Runs submitted together (launcher.concurrent), by runKey, awaited by the task that owns each. */
  private readonly together = new Map<string, Promise<RunResult>>()
  private submittedTogether = false
  // The harness's own cost and the repeat policy's decisions, persisted with the case (issue 16).
  private readonly spans = new SpanLog()
  private readonly repeatNotes: string[] = []
  private inRunCpuSeconds = 0

  constructor(
    spec: CaseSpec,
    private readonly services: HarnessServices = harnessServices(),
  ) {
    this.spec = spec
    this.id = caseIdFor(spec.file, spec.title)
    this.record = new CaseRecord({ id: this.id, title: spec.title, file: spec.file, kind: spec.kind, params: spec.params ?? {}, expectation: spec.expectation ?? null })
  }

  /** GPUs this machine offers the harness (empty on CPU-only machines). */
  static availableGpus(): number[] {
    return [...harnessServices().gpus]
  }

  private prepare(): Promise<Prepared | { missing: string }> {
    this.prepared ??= (async () => {
      const spans = this.spans
      const sample = await timed(spans, 'prepare: sample', () => this.spec.sample.resolve(this.services.samplePlace))
      if (sample.status === 'missing') return { missing: sample.reason }
      const manifestPath = this.spec.projectTo ?? sample.manifestPath ?? undefined
      const manifest = manifestPath === undefined ? undefined : await timed(spans, 'prepare: manifest', () => loadManifestLike(manifestPath))
      // Python, environment and calibration are the worker's (HarnessServices); the first case pays for finding them.
      await timed(spans, 'prepare: python and environment', () => this.services.environment())
      if (this.services.onGpu) await timed(spans, 'prepare: GPU calibration', () => this.services.calibration())
      return { sample, target: this.services.caseTarget(this.spec.like), manifest, facts: await timed(spans, 'prepare: sample facts', () => sampleFacts(sample)) }
    })()
    return this.prepared
  }

  /** Why this case cannot run here, or null. Recorded in the case and the report. */
  async missingReason(): Promise<string | null> {
    const prepared = await this.prepare()
    return 'missing' in prepared ? prepared.missing : null
  }

  /** Notes why part of the case is not measured here; written with the case's next persist. */
  noteSkip(reason: string): void {
    this.record.noteSkip(reason)
  }

  async skip(reason: string, handle: TaskHandle): Promise<void> {
    this.noteSkip(reason)
    handle.task.meta.virnucpro = { caseId: this.id }
    await this.persist(handle)
  }

  /** Whether the launcher lets this case submit its GPU counts together (Slurm with launcher.concurrent). */
  async runsConcurrently(): Promise<boolean> {
    const prepared = await this.prepare()
    return !('missing' in prepared) && this.services.config.launcher.kind === 'slurm' && this.services.config.launcher.concurrent
  }

  /**
   * Submits these runs at once (one Slurm job each), the first time it is called for the case; each task then
   * collects its own with run(). The runs record the job ids they were submitted with, so the report can say they
   * ran side by side.
   */
  async startTogether(runs: RunSpec[]): Promise<void> {
    // Once per case: later repeats run one by one.
    if (this.submittedTogether) return
    this.submittedTogether = true
    const prepared = await this.prepare()
    if ('missing' in prepared) return
    const group = { jobIds: [] as string[] }
    for (const run of runs) {
      const key = runKey(run)
      if (this.together.has(key)) continue
      const pending = this.execute(run, prepared, group)
      // Rejections surface in the owning task's run(); keep them from counting as unhandled meanwhile.
      pending.catch(() => undefined)
      this.together.set(key, pending)
    }
  }

  private async execute(run: RunSpec, prepared: Prepared, group?: { jobIds: string[] }): Promise<RunResult> {
    const { target, sample } = prepared
    const [python, environment, calibration] = await Promise.all([this.services.python(), this.services.environment(), this.services.calibration()])
    const request: RunRequest = {
      sample: { name: sample.name, path: sample.path },
      mode: run.mode,
      gpus: this.services.gpus.slice(0, run.gpuCount),
      chunkLength: target.chunkLength,
      seed: target.seed,
      inject: run.inject ?? [],
      keepIntermediate: run.keepIntermediate ?? true,
      extraArgs: run.extraArgs ?? [],
    }
    const callStart = performance.now()
    const cpuBefore = process.cpuUsage()
    const measured = await runPipeline(target.target, request, this.services.runOptions(python, environment, group))
    const cpu = process.cpuUsage(cpuBefore)
    this.inRunCpuSeconds += (cpu.user + cpu.system) / 1e6
    // runPipeline's time beyond the process's own wall: run folder, sampler start/stop, reading state, log and telemetry.
    this.spans.add('run: harness around the pipeline process', since(callStart) - measured.wallSeconds)
    const warmup = run.warmupIf?.(measured.wallSeconds) ?? false
    const hostLoad = loadavg()[0] ?? null
    return { ...measured, calibration, efficiency: runEfficiency(measured, target.shapes, calibration), warmup, hostLoad }
  }

  /** Runs the pipeline once; a run that did not succeed is a harness failure, never a warning. */
  async run(run: RunSpec, handle: TaskHandle): Promise<RunResult> {
    const prepared = await this.prepare()
    if ('missing' in prepared) throw new Error(prepared.missing)
    handle.task.meta.virnucpro = { caseId: this.id }
    const key = runKey(run)
    const submitted = this.together.get(key)
    this.together.delete(key)
    const result = await (submitted ?? this.execute(run, prepared))
    this.record.addRun(result)
    if (result.outcome !== 'succeeded' && run.inject === undefined) {
      this.record.fail(`${run.mode} run on ${run.gpuCount === 0 ? 'CPU' : `${run.gpuCount} GPU(s)`}: ${diagnoseRun(result).headline} (logs: ${result.logs.stdout}, ${result.logs.stderr})`)
    }
    await this.persist(handle)
    const error = this.record.error
    if (error !== null) throw new Error(error)
    return result
  }

  recordProjectionCheck(check: ProjectionCheck): void {
    this.record.addProjectionCheck(check)
  }

  /** Measured and warm-up runs so far, for the repeat policy. */
  get runsSoFar(): readonly RunResult[] {
    return this.record.runs
  }

  /** What the repeat policy decided, in words; shown in the reports next to the runs. */
  noteRepeat(note: string): void {
    this.repeatNotes.push(note)
  }

  recordComparison(comparison: Comparison): void {
    this.record.addComparison(comparison)
  }

  fail(message: string): void {
    this.record.fail(message)
  }

  /** The comparison could not be made; for a fault case that may be the expected outcome, so it is not an error. */
  noteComparisonError(message: string): void {
    this.record.noteComparisonError(message)
  }

  /**
   * Evaluates the thresholds over every run so far, writes the case with that evaluation (the one the report uses, see
   * plugin/report/build-report.ts), and surfaces warnings not surfaced before on the task.
   */
  async persist(handle?: TaskHandle): Promise<EvaluatedCase> {
    const persistStart = performance.now()
    const prepared = await this.prepare()
    const ready = 'missing' in prepared ? null : prepared
    const sample: CaseResult['sample'] = {
      name: ready?.sample.name ?? this.spec.sample.label,
      path: ready?.sample.path ?? '',
      records: ready?.sample.records ?? ready?.facts.records ?? null,
      manifestPath: this.spec.projectTo ?? ready?.sample.manifestPath ?? null,
      bases: ready?.facts.bases ?? null,
      lengths: ready?.facts.lengths ?? null,
      provenance: ready?.facts.provenance ?? null,
    }
    const recorded = this.record.result(sample)
    const base: CaseResult = {
      ...recorded,
      // Earlier persists are in the spans; this one's own write is not (it cannot time itself into the file it writes).
      overhead: summariseOverhead({ caseStartedAtMs: recorded.startedAtMs, nowMs: Date.now(), runWallSeconds: recorded.runs.map((r) => r.wallSeconds), inRunCpuSeconds: this.inRunCpuSeconds, spans: this.spans.list() }),
      repeatNotes: [...this.repeatNotes],
    }
    const { warnings, analysis } = this.services.evaluate(base, ready?.manifest)
    const result: EvaluatedCase = { ...base, warnings, analysis }
    await this.services.store.write(result)
    this.spans.add('persist: evaluate and write the case', since(persistStart))
    if (handle !== undefined) await this.surface(warnings, handle)
    return result
  }

  private async surface(warnings: readonly Warning[], handle: TaskHandle): Promise<void> {
    for (const warning of warnings) {
      const key = `${warning.code}|${warning.metric}|${warning.message}`
      if (this.emitted.has(key)) continue
      this.emitted.add(key)
      await handle.warn(warning)
    }
  }

  get strict(): boolean {
    return this.services.config.strict
  }
}
