import { loadavg } from 'node:os'
import { resolve } from 'node:path'
import { SpanLog, summariseOverhead } from '../analysis/overhead.ts'
import { sessionCached } from '../env/session-cache.ts'
import { CalibrationSchema } from '../model/efficiency.ts'
import { EnvironmentSchema, PythonInfoSchema } from '../model/environment.ts'
import { evaluateCase } from '../analysis/evaluate.ts'
import { loadManifestLike } from '../report/load-manifest.ts'
import type { ManifestLike } from '../analysis/projection.ts'
import type { CaseKind, CaseResult } from '../model/case-result.ts'
import type { Comparison } from '../model/validation.ts'
import type { RunResult } from '../model/run-result.ts'
import type { Warning } from '../model/thresholds.ts'
import { CaseStore } from '../report/case-store.ts'
import {
  captureEnvironment,
  createTarget,
  locatePython,
  resolveConfig,
  runPipeline,
  type HarnessConfig,
  type PipelineTarget,
  type RunRequest,
} from '../pipeline/index.ts'
import type { Environment, PythonInfo } from '../model/environment.ts'
import type { Calibration } from '../model/efficiency.ts'
import { calibrate } from '../env/calibrate.ts'
import { embeddingShapes, runEfficiency, type EmbeddingShapes } from '../analysis/run-efficiency.ts'
import { harnessContext, type HarnessContext } from '../vitest/context.ts'
import type { TaskHandle } from '../vitest/task-handle.ts'
import type { ResolvedSample, SampleSpec } from './samples.ts'

export interface CaseSpec {
  title: string
  kind: CaseKind
  file: string
  sample: SampleSpec
  /** A sample manifest to project the real sample's wall time from (scaling and end-to-end cases). */
  projectTo?: string
  params?: Record<string, string | number | boolean | null>
  /** Run the reference pipeline as a stored reference was made (model size, seed, chunk length). */
  like?: { modelSize?: 'tiny' | 'full'; seed?: number; chunkLength?: 300 | 500 }
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

interface Prepared {
  config: HarnessConfig
  context: HarnessContext
  python: PythonInfo
  environment: Environment
  target: PipelineTarget
  sample: ResolvedSample & { status: 'ready' }
  manifest: ManifestLike | undefined
  calibration: Calibration | null
  shapes: EmbeddingShapes
}

/** Applies a stored reference's settings to the reference target; a real VirNucPro target is left as configured. */
function withLike(config: HarnessConfig, like: CaseSpec['like']): HarnessConfig {
  if (like === undefined || config.target.kind !== 'reference') return config
  return { ...config, target: { ...config.target, ...(like.modelSize ? { modelSize: like.modelSize } : {}), ...(like.seed === undefined ? {} : { seed: like.seed }) } }
}

/** The ceiling is a nice-to-have: a failed calibration is reported as missing, never fails the benchmark. */
async function calibrateOrNull(python: PythonInfo, environment: Environment, cacheDir: string): Promise<Calibration | null> {
  // What decides calibrate.py's identity, known here already: with it, a cached calibration costs no Python call.
  const identityKey = JSON.stringify([python.executable, python.torch, python.cudaVersion, environment.driverVersion, environment.gpus.map((g) => g.uuid ?? g.name), process.env['CUDA_VISIBLE_DEVICES'] ?? null])
  try {
    return await calibrate(python.executable, { cacheDir, identityKey })
  } catch (error) {
    process.stderr.write(`virnucpro: GPU calibration failed, efficiency ratios unavailable: ${error instanceof Error ? error.message : String(error)}\n`)
    return null
  }
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80)
}

/**
 * One benchmark or validation case across its Vitest tasks: prepares once (config, Python, environment, sample),
 * runs the pipeline, and persists the case after every run so that a crash loses nothing finished.
 */
export class CaseSession {
  readonly id: string
  private readonly spec: CaseSpec
  private readonly startedAtMs = Date.now()
  private prepared: Promise<Prepared | { missing: string }> | undefined
  private readonly runs: RunResult[] = []
  private readonly comparisons: Comparison[] = []
  private readonly skipReasons: string[] = []
  private readonly emitted = new Set<string>()
  private error: string | null = null
  // Issue 16: the harness's own cost and the repeat policy's decisions, persisted with the case.
  private readonly spans = new SpanLog()
  private readonly repeatNotes: string[] = []
  private inRunCpuSeconds = 0

  constructor(spec: CaseSpec) {
    this.spec = spec
    this.id = `${slug(spec.file.replace(/^.*\/(benches|validations)\//, ''))}--${slug(spec.title)}`
  }

  /** GPUs this machine offers the harness (empty on CPU-only machines). */
  static availableGpus(): number[] {
    return harnessContext().gpus
  }

  private prepare(): Promise<Prepared | { missing: string }> {
    this.prepared ??= (async () => {
      const context = harnessContext()
      const config = withLike(resolveConfig(context.options, process.env), this.spec.like)
      const spans = this.spans
      const sample = await timed(spans, 'prepare: sample', () => this.spec.sample.resolve({ onGpu: context.gpus.length > 0, cacheDir: resolve(config.runsDir) }))
      if (sample.status === 'missing') return { missing: sample.reason }
      // Python, environment and calibration are the same for every case of a session: found by the first case,
      // read by the others (each bench file runs in its own worker, so an in-memory cache would not reach them).
      const cacheDir = resolve(config.runsDir, '.session')
      const session = context.sessionId
      // Finding Python (imports torch) and capturing the machine (nvidia-smi, git) are independent: run together.
      const [found, machine] = await Promise.all([
        timed(spans, 'prepare: python', () => sessionCached(cacheDir, session, 'python', PythonInfoSchema, () => locatePython(config))),
        timed(spans, 'prepare: environment', () => sessionCached(cacheDir, session, 'environment', EnvironmentSchema, () => captureEnvironment(null))),
      ])
      const python = found.value
      const environment: Environment = { ...machine.value, python }
      const onGpu = context.gpus.length > 0
      const target = createTarget(config, onGpu)
      const manifestPath = this.spec.projectTo ?? sample.manifestPath ?? undefined
      const manifest = manifestPath === undefined ? undefined : await timed(spans, 'prepare: manifest', () => loadManifestLike(manifestPath))
      const calibration = onGpu
        ? (await timed(spans, 'prepare: GPU calibration', () => sessionCached(cacheDir, session, 'calibration', CalibrationSchema.nullable(), () => calibrateOrNull(python, environment, resolve(config.runsDir))))).value
        : null
      const modelSize = config.target.kind === 'reference' ? (config.target.modelSize === 'auto' ? (onGpu ? 'full' : 'tiny') : config.target.modelSize) : null
      const shapes = embeddingShapes({ kind: target.kind, name: target.name, version: null }, modelSize)
      return { config, context, python, environment, target, sample, manifest, calibration, shapes }
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
    if (!this.skipReasons.includes(reason)) this.skipReasons.push(reason)
  }

  async skip(reason: string, handle: TaskHandle): Promise<void> {
    this.noteSkip(reason)
    handle.task.meta.virnucpro = { caseId: this.id }
    await this.persist(handle)
  }

  /** Runs the pipeline once; a run that did not succeed is a harness failure, never a warning. */
  async run(run: RunSpec, handle: TaskHandle): Promise<RunResult> {
    const prepared = await this.prepare()
    if ('missing' in prepared) throw new Error(prepared.missing)
    const { config, target, sample, python, environment, context } = prepared
    const gpus = context.gpus.slice(0, run.gpuCount)
    const request: RunRequest = {
      sample: { name: sample.name, path: sample.path },
      outputDir: '',
      mode: run.mode,
      gpus,
      chunkLength: this.spec.like?.chunkLength ?? target.chunkLength,
      seed: config.target.kind === 'reference' ? config.target.seed : 42,
      inject: run.inject ?? [],
      keepIntermediate: run.keepIntermediate ?? true,
      extraArgs: run.extraArgs ?? [],
    }
    handle.task.meta.virnucpro = { caseId: this.id }
    const callStart = performance.now()
    const cpuBefore = process.cpuUsage()
    const measured = await runPipeline(target, request, {
      runsDir: resolve(config.runsDir),
      timeoutSeconds: config.timeoutSeconds,
      sampleIntervalMs: config.sampleIntervalMs,
      progress: config.progress,
      killGraceSeconds: config.killGraceSeconds,
      python,
      environment,
    })
    const cpu = process.cpuUsage(cpuBefore)
    this.inRunCpuSeconds += (cpu.user + cpu.system) / 1e6
    // runPipeline's time beyond the process's own wall: run folder, sampler start/stop, reading state, log and telemetry.
    this.spans.add('run: harness around the pipeline process', since(callStart) - measured.wallSeconds)
    const warmup = run.warmupIf?.(measured.wallSeconds) ?? false
    const hostLoad = loadavg()[0] ?? null
    const result: RunResult = { ...measured, calibration: prepared.calibration, efficiency: runEfficiency(measured, prepared.shapes, prepared.calibration), warmup, hostLoad }
    this.runs.push(result)
    if (result.outcome !== 'succeeded' && run.inject === undefined) {
      this.error = `${run.mode} run on ${run.gpuCount === 0 ? 'CPU' : `${run.gpuCount} GPU(s)`}: ${result.outcomeDescription} (logs: ${result.logs.stderr})`
    }
    await this.persist(handle)
    if (this.error !== null) throw new Error(this.error)
    return result
  }

  /** Measured and warm-up runs so far, for the repeat policy. */
  get runsSoFar(): readonly RunResult[] {
    return this.runs
  }

  /** What the repeat policy decided, in words; shown in the reports next to the runs. */
  noteRepeat(note: string): void {
    this.repeatNotes.push(note)
  }

  recordComparison(comparison: Comparison): void {
    this.comparisons.push(comparison)
  }

  fail(message: string): void {
    this.error = message
  }

  /** Re-evaluates thresholds over every run so far, surfaces new warnings on the task, and writes the case. */
  async persist(handle?: TaskHandle): Promise<CaseResult> {
    const persistStart = performance.now()
    const prepared = await this.prepare()
    const config = 'missing' in prepared ? resolveConfig(harnessContext().options, process.env) : prepared.config
    const manifest = 'missing' in prepared ? undefined : prepared.manifest
    const sample = 'missing' in prepared ? null : prepared.sample
    const base: CaseResult = {
      id: this.id,
      title: this.spec.title,
      file: this.spec.file,
      kind: this.spec.kind,
      status: this.error !== null ? 'error' : this.runs.length === 0 && this.comparisons.length === 0 ? 'skipped' : 'ok',
      error: this.error,
      skipReasons: [...this.skipReasons],
      sample: {
        name: sample?.name ?? this.spec.sample.label,
        path: sample?.path ?? '',
        records: sample?.records ?? null,
        manifestPath: this.spec.projectTo ?? sample?.manifestPath ?? null,
      },
      params: this.spec.params ?? {},
      runs: [...this.runs],
      comparisons: [...this.comparisons],
      warnings: [],
      startedAtMs: this.startedAtMs,
      endedAtMs: Date.now(),
      // Earlier persists are in the spans; this one's own write is not (it cannot time itself into the file it writes).
      overhead: summariseOverhead({ caseStartedAtMs: this.startedAtMs, nowMs: Date.now(), runWallSeconds: this.runs.map((r) => r.wallSeconds), inRunCpuSeconds: this.inRunCpuSeconds, spans: this.spans.list() }),
      repeatNotes: [...this.repeatNotes],
    }
    const { warnings } = evaluateCase(base, config.thresholds, manifest)
    const result: CaseResult = { ...base, warnings }
    await CaseStore.forSession(resolve(config.reportsDir), harnessContext().sessionId).write(result)
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
    return resolveConfig(harnessContext().options, process.env).strict
  }
}
