/**
 * Environment variables that override plugin options on GPU machines, so one vitest.config.ts serves every box.
 * Each variable maps to one option path; the table in README.md is the user-facing copy of ENV_OVERRIDES.
 */

export interface EnvOverride {
  /** The variable's name, e.g. BENCH_GPUS. */
  variable: string
  /** The option path it sets, dotted, e.g. `gpus` or `target.modelSize`. */
  option: string
  /** Expected form, for error messages and the README. */
  form: string
}

export const ENV_OVERRIDES: readonly EnvOverride[] = [
  { variable: 'VIRNUCPRO_TARGET', option: 'target.kind', form: 'reference | virnucpro' },
  { variable: 'VIRNUCPRO_REPO', option: 'target.repoDir', form: 'path to a virnucpro-broad checkout' },
  { variable: 'VIRNUCPRO_PYTHON', option: 'python', form: 'path to a Python that imports torch' },
  { variable: 'VIRNUCPRO_MODEL_SIZE', option: 'target.modelSize', form: 'tiny | full | auto (reference) or 300 | 500 (virnucpro)' },
  { variable: 'VIRNUCPRO_EXTRA_ARGS', option: 'target.extraArgs', form: 'arguments separated by spaces, e.g. "--preload off"' },
  { variable: 'BENCH_GPUS', option: 'gpus', form: 'comma-separated physical GPU indices, e.g. 0,1,2,3, or auto' },
  { variable: 'BENCH_SAMPLE_INTERVAL_MS', option: 'sampleIntervalMs', form: 'an integer number of milliseconds ≥ 50' },
  { variable: 'BENCH_TIMEOUT_S', option: 'timeoutSeconds', form: 'a positive number of seconds' },
  { variable: 'BENCH_STRICT', option: 'strict', form: '1 | 0 | true | false' },
  { variable: 'BENCH_REPEATS', option: 'repeats', form: 'a positive integer' },
  { variable: 'BENCH_PROGRESS', option: 'progress', form: 'auto | tty | plain | off' },
  { variable: 'BENCH_LAUNCHER', option: 'launcher.kind', form: 'local | slurm' },
  { variable: 'BENCH_SLURM_PARTITION', option: 'launcher.partition', form: 'a Slurm partition name' },
  { variable: 'BENCH_SLURM_ACCOUNT', option: 'launcher.account', form: 'a Slurm account name' },
  { variable: 'BENCH_SLURM_QOS', option: 'launcher.qos', form: 'a Slurm QOS name' },
  { variable: 'BENCH_SLURM_TIME_LIMIT', option: 'launcher.timeLimit', form: "a Slurm time, e.g. '12:00:00'" },
  { variable: 'BENCH_SLURM_EXCLUSIVE', option: 'launcher.exclusive', form: '1 | 0 | true | false' },
  { variable: 'BENCH_SLURM_EXTRA_ARGS', option: 'launcher.extraArgs', form: 'sbatch arguments separated by spaces, e.g. "--constraint=h100"' },
  { variable: 'BENCH_SLURM_CONCURRENT', option: 'launcher.concurrent', form: '1 | 0 | true | false' },
  { variable: 'BENCH_SLURM_GPUS_PER_NODE', option: 'launcher.gpusPerNode', form: 'a non-negative integer (0: run on the nodes\' CPUs)' },
]

export class EnvValueError extends Error {
  constructor(
    readonly variable: string,
    readonly value: string,
    readonly form: string,
  ) {
    super(`env ${variable}=${JSON.stringify(value)}: expected ${form}`)
    this.name = 'EnvValueError'
  }
}

function overrideFor(variable: string): EnvOverride {
  const found = ENV_OVERRIDES.find((o) => o.variable === variable)
  if (found === undefined) throw new Error(`unknown override ${variable}`)
  return found
}

/** Numbers pass through as numbers so the option schema reports range errors; text that is not a number fails here. */
function number(variable: string, raw: string): number {
  const value = Number(raw.trim())
  if (raw.trim() === '' || !Number.isFinite(value)) throw new EnvValueError(variable, raw, overrideFor(variable).form)
  return value
}

function gpuList(raw: string): 'auto' | number[] {
  if (raw.trim() === 'auto') return 'auto'
  const parts = raw.split(',').map((p) => p.trim())
  if (parts.some((p) => !/^\d+$/.test(p))) throw new EnvValueError('BENCH_GPUS', raw, overrideFor('BENCH_GPUS').form)
  return parts.map(Number)
}

function flag(raw: string, variable = 'BENCH_STRICT'): boolean {
  const v = raw.trim().toLowerCase()
  if (['1', 'true', 'yes', 'on'].includes(v)) return true
  if (['0', 'false', 'no', 'off', ''].includes(v)) return false
  throw new EnvValueError(variable, raw, overrideFor(variable).form)
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {}
}

export interface AppliedOverrides {
  options: Record<string, unknown>
  /** Option path → the variable that set it, so schema errors can name the variable. */
  sources: Map<string, string>
}

/** Options with the environment's overrides applied on top; a value of the wrong form throws EnvValueError. */
export function applyEnvOverrides(options: unknown, env: NodeJS.ProcessEnv): AppliedOverrides {
  const out = record(options)
  const sources = new Map<string, string>()
  const get = (name: string): string | undefined => {
    const v = env[name]
    return v === undefined || v === '' ? undefined : v
  }
  const set = (variable: string, path: string, apply: () => void): void => {
    apply()
    sources.set(path, variable)
  }

  let target = record(out.target)
  const kind = get('VIRNUCPRO_TARGET')
  if (kind !== undefined) {
    const k = kind.trim()
    if (k !== 'reference' && k !== 'virnucpro') throw new EnvValueError('VIRNUCPRO_TARGET', kind, overrideFor('VIRNUCPRO_TARGET').form)
    // Switching kinds drops the other kind's fields: they would only be rejected as unknown keys.
    if (target.kind !== k) target = { kind: k }
    sources.set('target.kind', 'VIRNUCPRO_TARGET')
  }
  const repo = get('VIRNUCPRO_REPO')
  if (repo !== undefined) {
    if (target.kind === undefined) target.kind = 'virnucpro'
    if (target.kind === 'virnucpro') set('VIRNUCPRO_REPO', 'target.repoDir', () => (target.repoDir = repo))
  }
  const python = get('VIRNUCPRO_PYTHON')
  if (python !== undefined) set('VIRNUCPRO_PYTHON', 'python', () => (out.python = python))
  const size = get('VIRNUCPRO_MODEL_SIZE')
  if (size !== undefined) {
    if (target.kind === 'virnucpro') set('VIRNUCPRO_MODEL_SIZE', 'target.modelType', () => (target.modelType = size.trim()))
    else {
      if (target.kind === undefined) target.kind = 'reference'
      set('VIRNUCPRO_MODEL_SIZE', 'target.modelSize', () => (target.modelSize = size.trim()))
    }
  }
  const extra = get('VIRNUCPRO_EXTRA_ARGS')
  if (extra !== undefined) {
    if (target.kind === undefined) target.kind = 'reference'
    set('VIRNUCPRO_EXTRA_ARGS', 'target.extraArgs', () => (target.extraArgs = extra.trim().split(/\s+/).filter((a) => a !== '')))
  }
  if (Object.keys(target).length > 0) out.target = target

  const gpus = get('BENCH_GPUS')
  if (gpus !== undefined) set('BENCH_GPUS', 'gpus', () => (out.gpus = gpuList(gpus)))
  const interval = get('BENCH_SAMPLE_INTERVAL_MS')
  if (interval !== undefined) set('BENCH_SAMPLE_INTERVAL_MS', 'sampleIntervalMs', () => (out.sampleIntervalMs = number('BENCH_SAMPLE_INTERVAL_MS', interval)))
  const timeout = get('BENCH_TIMEOUT_S')
  if (timeout !== undefined) set('BENCH_TIMEOUT_S', 'timeoutSeconds', () => (out.timeoutSeconds = number('BENCH_TIMEOUT_S', timeout)))
  const strict = get('BENCH_STRICT')
  if (strict !== undefined) set('BENCH_STRICT', 'strict', () => (out.strict = flag(strict)))
  const repeats = get('BENCH_REPEATS')
  if (repeats !== undefined) set('BENCH_REPEATS', 'repeats', () => (out.repeats = number('BENCH_REPEATS', repeats)))
  const progress = get('BENCH_PROGRESS')
  if (progress !== undefined) set('BENCH_PROGRESS', 'progress', () => (out.progress = progress.trim()))
  applyLauncherOverrides(out, get, sources)
  return { options: out, sources }
}

/** BENCH_LAUNCHER and BENCH_SLURM_*: any BENCH_SLURM_* variable implies the Slurm launcher. */
function applyLauncherOverrides(out: Record<string, unknown>, get: (name: string) => string | undefined, sources: Map<string, string>): void {
  let launcher = record(out.launcher)
  const kind = get('BENCH_LAUNCHER')
  if (kind !== undefined) {
    const k = kind.trim()
    if (k !== 'local' && k !== 'slurm') throw new EnvValueError('BENCH_LAUNCHER', kind, overrideFor('BENCH_LAUNCHER').form)
    if (launcher.kind !== k) launcher = { kind: k }
    sources.set('launcher.kind', 'BENCH_LAUNCHER')
  }
  const slurm: Array<[string, string, (raw: string) => unknown]> = [
    ['BENCH_SLURM_PARTITION', 'partition', (r) => r.trim()],
    ['BENCH_SLURM_ACCOUNT', 'account', (r) => r.trim()],
    ['BENCH_SLURM_QOS', 'qos', (r) => r.trim()],
    ['BENCH_SLURM_TIME_LIMIT', 'timeLimit', (r) => r.trim()],
    ['BENCH_SLURM_EXCLUSIVE', 'exclusive', (r) => flag(r, 'BENCH_SLURM_EXCLUSIVE')],
    ['BENCH_SLURM_EXTRA_ARGS', 'extraArgs', (r) => r.trim().split(/\s+/).filter((a) => a !== '')],
    ['BENCH_SLURM_CONCURRENT', 'concurrent', (r) => flag(r, 'BENCH_SLURM_CONCURRENT')],
    ['BENCH_SLURM_GPUS_PER_NODE', 'gpusPerNode', (r) => number('BENCH_SLURM_GPUS_PER_NODE', r)],
  ]
  for (const [variable, field, convert] of slurm) {
    const raw = get(variable)
    if (raw === undefined) continue
    // Only meaningful for Slurm; with an explicit BENCH_LAUNCHER=local the variable is ignored.
    if (launcher.kind === undefined) launcher.kind = 'slurm'
    if (launcher.kind !== 'slurm') continue
    launcher[field] = convert(raw)
    sources.set(`launcher.${field}`, variable)
  }
  if (Object.keys(launcher).length > 0) out.launcher = launcher
}
