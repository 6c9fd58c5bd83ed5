/**
 * What every case needs from the harness, built once per worker: the configuration, the GPUs, the Python and its
 * environment, the GPU calibration, the target and where cases are stored. In MLPerf LoadGen's terms
 * (`StartTest(sut, qsl, settings, log_settings)`) these are the settings and the log settings, kept apart from the
 * system under test (the PipelineTarget) and the sample library (samples.ts); a case (case-session.ts) only combines them.
 */
import { createLauncher } from '../pipeline/launchers/create-launcher.ts'
import { resolve } from 'node:path'
import { evaluateCase, type CaseEvaluation } from '../analysis/evaluate.ts'
import type { ManifestLike } from '../analysis/projection.ts'
import { embeddingShapes, type EmbeddingShapes } from '../analysis/run-efficiency.ts'
import type { CaseResult } from '../model/case-result.ts'
import { calibrate } from '../env/calibrate.ts'
import { CalibrationSchema, type Calibration } from '../model/efficiency.ts'
import { EnvironmentSchema, PythonInfoSchema, type Environment, type PythonInfo } from '../model/environment.ts'
import { sessionCached } from '../env/session-cache.ts'
import { captureEnvironment, createTarget, locatePython, type HarnessConfig, type PipelineTarget, type RunOptions } from '../pipeline/index.ts'
import { CaseStore } from '../report/case-store.ts'
import { harnessConfig, harnessContext } from '../vitest/context.ts'

/** How a case asks to run the reference pipeline: as a stored reference was made (model size, seed, chunk length). */
export interface TargetSettings {
  modelSize?: 'tiny' | 'full'
  seed?: number
  chunkLength?: 300 | 500
}

/** The target as one case runs it. */
export interface CaseTarget {
  target: PipelineTarget
  seed: number
  chunkLength: 300 | 500
  /** Model shapes for the FLOP estimates of the efficiency ratios. */
  shapes: EmbeddingShapes
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

/** Applies a stored reference's settings to the reference target; a real VirNucPro target is left as configured. */
function withSettings(config: HarnessConfig, like: TargetSettings | undefined): HarnessConfig {
  if (like === undefined || config.target.kind !== 'reference') return config
  return { ...config, target: { ...config.target, ...(like.modelSize ? { modelSize: like.modelSize } : {}), ...(like.seed === undefined ? {} : { seed: like.seed }) } }
}

export class HarnessServices {
  private pythonInfo: Promise<PythonInfo> | undefined
  private environmentInfo: Promise<Environment> | undefined
  private calibrated: Promise<Calibration | null> | undefined

  constructor(
    readonly config: HarnessConfig,
    /** Physical GPU indices the machine offers (after the `gpus` option), found once in the main process. */
    readonly gpus: readonly number[],
    readonly sessionId: string,
    /** The Vitest main process (pid and start time), whose end must end every run of this worker. */
    readonly mainProcess?: { pid: number; startTime: number | null },
  ) {}

  get onGpu(): boolean {
    return this.gpus.length > 0
  }

  /** Where this session's cases are persisted (`reportsDir`). */
  get store(): CaseStore {
    return CaseStore.forSession(resolve(this.config.reportsDir), this.sessionId)
  }

  /** Where derived samples are written (`runsDir`) and which machine they are for. */
  get samplePlace(): { onGpu: boolean; cacheDir: string } {
    return { onGpu: this.onGpu, cacheDir: resolve(this.config.runsDir) }
  }

  /**
   * Python, environment and calibration are the same for every case of a session: found by the first case, read by
   * the others from the session cache (each bench file runs in its own worker, so memory alone would not reach them).
   */
  private get sessionCache(): string {
    return resolve(this.config.runsDir, '.session')
  }

  python(): Promise<PythonInfo> {
    this.pythonInfo ??= sessionCached(this.sessionCache, this.sessionId, 'python', PythonInfoSchema, () => locatePython(this.config, process.env, resolve(this.config.runsDir))).then((c) => c.value)
    return this.pythonInfo
  }

  environment(): Promise<Environment> {
    // Finding Python (imports torch) and capturing the machine (nvidia-smi, git) are independent: run together.
    this.environmentInfo ??= Promise.all([this.python(), sessionCached(this.sessionCache, this.sessionId, 'environment', EnvironmentSchema, () => captureEnvironment(null))]).then(([python, machine]) => ({ ...machine.value, python }))
    return this.environmentInfo
  }

  /** The measured GPU ceiling for efficiency ratios; null on CPU machines or when calibration failed. */
  calibration(): Promise<Calibration | null> {
    this.calibrated ??= this.onGpu
      ? Promise.all([this.python(), this.environment()]).then(([python, environment]) =>
          sessionCached(this.sessionCache, this.sessionId, 'calibration', CalibrationSchema.nullable(), () => calibrateOrNull(python, environment, resolve(this.config.runsDir))).then((c) => c.value),
        )
      : Promise.resolve(null)
    return this.calibrated
  }

  /** The configured target, run as `like` asks (a reference's model size and seed). */
  caseTarget(like?: TargetSettings): CaseTarget {
    const config = withSettings(this.config, like)
    const target = createTarget(config, this.onGpu)
    const modelSize = config.target.kind === 'reference' ? (config.target.modelSize === 'auto' ? (this.onGpu ? 'full' : 'tiny') : config.target.modelSize) : null
    return {
      target,
      seed: config.target.kind === 'reference' ? config.target.seed : 42,
      chunkLength: like?.chunkLength ?? target.chunkLength,
      shapes: embeddingShapes({ kind: target.kind, name: target.name, version: null }, modelSize),
    }
  }

  /** The case against the configured thresholds: the one evaluation of a case, stored with it. */
  evaluate(caseResult: CaseResult, manifest: ManifestLike | undefined): CaseEvaluation {
    return evaluateCase(caseResult, this.config.thresholds, manifest)
  }

  /** How the runner runs every pipeline of this worker. */
  /** What the runner is given; `group` collects the job ids of runs a case submits together (launcher.concurrent). */
  runOptions(python: PythonInfo, environment: Environment, group?: { jobIds: string[] }): RunOptions {
    return {
      runsDir: resolve(this.config.runsDir),
      timeoutSeconds: this.config.timeoutSeconds,
      sampleIntervalMs: this.config.sampleIntervalMs,
      progress: this.config.progress,
      ...(this.config.killGraceSeconds === undefined ? {} : { killGraceSeconds: this.config.killGraceSeconds }),
      leftoverGraceSeconds: this.config.leftoverGraceSeconds,
      python,
      environment,
      launcher: createLauncher(this.config, group === undefined ? {} : { group }),
      // A forked worker outlives a killed Vitest main process: the supervisor watches the main process too.
      ...(this.mainProcess === undefined ? {} : { watch: [this.mainProcess] }),
    }
  }
}

const SERVICES = Symbol.for('virnucpro.harness.services')
type Registry = { [SERVICES]?: { key: string; services: HarnessServices } }

/**
 * The worker's services, built on first use. Kept on globalThis: Vitest re-imports modules for every test file of a
 * worker, and the Python search, environment capture and calibration should not be repeated for each.
 */
export function harnessServices(): HarnessServices {
  const context = harnessContext()
  const key = `${context.sessionId}|${JSON.stringify(context.options)}|${context.gpus.join(',')}`
  const registry = globalThis as Registry
  if (registry[SERVICES]?.key !== key) registry[SERVICES] = { key, services: new HarnessServices(harnessConfig(), context.gpus, context.sessionId, context.mainProcess) }
  return registry[SERVICES].services
}
