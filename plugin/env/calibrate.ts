/**
 * Calibration: what one GPU of this machine can physically do (dense matmul TFLOP/s, copy bandwidth),
 * measured by calibrate.py through the pipeline's own Python and cached per GPU + driver + torch.
 *
 * Two Python calls on a cache miss: a quick `--identify` (a few seconds, mostly `import torch`) to build the
 * cache key, then the measurement (about 6 s on an H200). A hit costs only the first.
 */
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { z } from 'zod'
import { writeJsonAtomic } from '../io/files.ts'
import {
  type Calibrated,
  CalibratedSchema,
  type Calibration,
  type CalibrationIdentity,
  CalibrationIdentitySchema,
  CalibrationUnavailableSchema,
} from '../model/efficiency.ts'

export {
  CalibrationSchema,
  CalibratedSchema,
  CalibrationUnavailableSchema,
  CalibrationIdentitySchema,
  VENDOR_PEAKS,
  vendorPeakFor,
} from '../model/efficiency.ts'
export type { Calibration, Calibrated, CalibrationUnavailable, CalibrationIdentity, VendorPeak } from '../model/efficiency.ts'

export const CALIBRATION_SCRIPT = fileURLToPath(new URL('./calibrate.py', import.meta.url))
/** A calibration older than this is measured again (drivers, clocks and power caps drift). */
export const CALIBRATION_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000
const DEFAULT_TIMEOUT_MS = 120_000

export interface CalibrateOptions {
  /** Folder for `calibration-<key>.json`; created when missing. */
  cacheDir: string
  /** torch device index (after CUDA_VISIBLE_DEVICES); default 0. The other visible GPUs are assumed identical. */
  gpuIndex?: number
  /** Measure even when a fresh cache entry exists (the new result replaces it). */
  force?: boolean
  maxAgeMs?: number
  /** Clock for cache expiry; tests inject one. */
  now?: () => Date
  /** Per Python call; default 120 s. */
  timeoutMs?: number
  /** Extra arguments for calibrate.py, e.g. ['--size', '4096']. They are not part of the cache key. */
  scriptArgs?: readonly string[]
  /** Environment for the Python process (merged over process.env), e.g. CUDA_VISIBLE_DEVICES. */
  env?: Record<string, string>
  /**
   * What the caller already knows that decides the identity (Python, torch, driver, the GPUs' UUIDs): the
   * `--identify` answer is kept under this key, so a later call with a fresh cache entry starts no Python at all.
   * The `--identify` call imports torch and creates a CUDA context: seconds per case on a GPU machine (issue 16).
   */
  identityKey?: string
}

/** `calibration-identity-<16 hex of sha256(key)>.json` in the cache folder. */
export function identityMemoPath(cacheDir: string, identityKey: string): string {
  return path.join(cacheDir, `calibration-identity-${createHash('sha256').update(identityKey).digest('hex').slice(0, 16)}.json`)
}

async function readIdentityMemo(file: string): Promise<CalibrationIdentity | null> {
  try {
    const parsed = CalibrationIdentitySchema.safeParse(JSON.parse(await readFile(file, 'utf8')))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

/** The calibration could not be run or its output could not be understood (not "no GPU": that is `unavailable`). */
export class CalibrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'CalibrationError'
  }
}

const ScriptErrorSchema = z.object({ status: z.literal('error'), reason: z.string(), torch: z.string().nullable().optional() })
const ScriptOutputSchema = z.discriminatedUnion('status', [
  CalibrationIdentitySchema,
  CalibratedSchema,
  CalibrationUnavailableSchema,
  ScriptErrorSchema,
])
type ScriptOutput = z.infer<typeof ScriptOutputSchema>

/**
 * Measure (or read from cache) the calibration of one GPU, using `pythonExecutable` (the pipeline's Python).
 * Resolves to `{status:'unavailable', reason}` when there is no torch or no CUDA; rejects with CalibrationError
 * when the Python cannot be run, the measurement fails, or its output is not the expected JSON.
 */
export async function calibrate(pythonExecutable: string, options: CalibrateOptions): Promise<Calibration> {
  const gpuIndex = options.gpuIndex ?? 0
  if (!Number.isInteger(gpuIndex) || gpuIndex < 0) throw new CalibrationError(`calibrate: gpuIndex must be a non-negative integer, got ${gpuIndex}`)
  const now = options.now ?? (() => new Date())
  const maxAgeMs = options.maxAgeMs ?? CALIBRATION_MAX_AGE_MS

  const memo = options.identityKey === undefined ? null : identityMemoPath(options.cacheDir, `${gpuIndex}|${options.identityKey}`)
  let identity = memo === null ? null : await readIdentityMemo(memo)
  if (identity === null) {
    const answer = await runScript(pythonExecutable, ['--identify', '--gpu', String(gpuIndex)], options)
    if (answer.status === 'unavailable') return answer
    if (answer.status !== 'identified') throw unexpected(pythonExecutable, '--identify', answer.status)
    identity = answer
    if (memo !== null) await writeJsonAtomic(memo, identity)
  }

  const cacheFile = calibrationCachePath(options.cacheDir, identity)
  if (options.force !== true) {
    const cached = await readCachedCalibration(cacheFile, identity, now(), maxAgeMs)
    if (cached !== null) return cached
  }

  const measured = await runScript(pythonExecutable, ['--gpu', String(gpuIndex), ...(options.scriptArgs ?? [])], options)
  if (measured.status === 'unavailable') return measured
  if (measured.status !== 'calibrated') throw unexpected(pythonExecutable, 'the measurement', measured.status)
  await writeCache(cacheFile, measured)
  return measured
}

/** `<slug of the GPU name>-<16 hex of sha256(name, uuid, driver, torch)>`: readable, yet unique per setup. */
export function calibrationCacheKey(identity: Pick<CalibrationIdentity, 'gpu' | 'torch'>): string {
  const { name, uuid, driver } = identity.gpu
  const digest = createHash('sha256').update(JSON.stringify([name, uuid, driver, identity.torch])).digest('hex').slice(0, 16)
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'gpu'
  return `${slug}-${digest}`
}

export function calibrationCachePath(cacheDir: string, identity: Pick<CalibrationIdentity, 'gpu' | 'torch'>): string {
  return path.join(cacheDir, `calibration-${calibrationCacheKey(identity)}.json`)
}

/**
 * A fresh cache entry for exactly this GPU + driver + torch, marked `fromCache`, or null (missing, unreadable,
 * another setup, or older than maxAgeMs). A corrupt entry is a miss, not an error: the next measurement replaces it.
 */
export async function readCachedCalibration(
  file: string,
  identity: Pick<CalibrationIdentity, 'gpu' | 'torch'>,
  now: Date,
  maxAgeMs: number = CALIBRATION_MAX_AGE_MS,
): Promise<Calibrated | null> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    return null
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return null
  }
  const parsed = CalibratedSchema.safeParse(json)
  if (!parsed.success) return null
  const cached = parsed.data
  const sameSetup =
    cached.gpu.name === identity.gpu.name &&
    cached.gpu.uuid === identity.gpu.uuid &&
    cached.gpu.driver === identity.gpu.driver &&
    cached.torch === identity.torch
  const measuredAtMs = Date.parse(cached.measuredAt)
  if (!sameSetup || Number.isNaN(measuredAtMs)) return null
  const ageMs = now.getTime() - measuredAtMs
  if (ageMs > maxAgeMs) return null
  return { ...cached, fromCache: true }
}

async function writeCache(file: string, calibration: Calibrated): Promise<void> {
  await writeJsonAtomic(file, { ...calibration, fromCache: false })
}

async function runScript(pythonExecutable: string, args: readonly string[], options: CalibrateOptions): Promise<Exclude<ScriptOutput, { status: 'error' }>> {
  const command = `${pythonExecutable} ${path.basename(CALIBRATION_SCRIPT)} ${args.join(' ')}`
  const result = await execa(pythonExecutable, [CALIBRATION_SCRIPT, ...args], {
    reject: false,
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    env: { PYTHONUNBUFFERED: '1', ...options.env },
    stdin: 'ignore',
  })
  const stderrTail = tail(result.stderr)
  if (result.timedOut) throw new CalibrationError(`calibration timed out after ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms: ${command}${stderrTail}`)
  // No exit code: the process never ran or was killed (ENOENT, EACCES, a signal).
  if (result.exitCode === undefined) throw new CalibrationError(`calibration could not run ${pythonExecutable}: ${result.shortMessage}${stderrTail}`, { cause: result.cause })
  const lastLine = result.stdout.trim().split('\n').at(-1) ?? ''
  let json: unknown
  try {
    json = JSON.parse(lastLine)
  } catch {
    throw new CalibrationError(`calibration printed no JSON (exit ${result.exitCode}, last stdout line ${JSON.stringify(lastLine.slice(0, 200))}): ${command}${stderrTail}`)
  }
  const parsed = ScriptOutputSchema.safeParse(json)
  if (!parsed.success) {
    throw new CalibrationError(`calibration output does not match the schema (${z.prettifyError(parsed.error)}): ${command}`, { cause: parsed.error })
  }
  if (parsed.data.status === 'error') throw new CalibrationError(`calibration failed: ${parsed.data.reason}: ${command}${stderrTail}`)
  if (result.exitCode !== 0) throw new CalibrationError(`calibration exited ${result.exitCode} although it printed status ${parsed.data.status}: ${command}${stderrTail}`)
  return parsed.data
}

function unexpected(pythonExecutable: string, step: string, status: string): CalibrationError {
  return new CalibrationError(`calibration: ${step} via ${pythonExecutable} answered status "${status}", which that step never prints`)
}

function tail(stderr: string): string {
  const trimmed = stderr.trim()
  return trimmed === '' ? '' : `\n--- stderr (tail) ---\n${trimmed.slice(-2000)}`
}
