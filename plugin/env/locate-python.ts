/**
 * Finds a Python that imports torch. Probing each candidate costs one `import torch` (4–5 s on the H200 machine, most
 * of a bench case's start-up), so the answer is cached per process and per explicit choice, and on disk under the
 * candidate's identity: the interpreter, where torch is installed and its version file's size and mtime, the NVIDIA
 * driver and the environment variables that change what an import finds. Reading that identity imports nothing
 * (about 0.1 s); a reinstalled torch, another driver or another CUDA_VISIBLE_DEVICES probes afresh.
 */
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { execa } from 'execa'
import { z } from 'zod'
import { writeJsonAtomic } from '../io/files.ts'
import { PythonInfoSchema, type PythonInfo } from '../model/environment.ts'

/** What decides the probe's answer, read without importing torch; "no torch" when the module cannot be found. */
const IDENTITY_SCRIPT = [
  'import importlib.util, json, os, sys',
  'spec = importlib.util.find_spec("torch")',
  'version = os.path.join(os.path.dirname(spec.origin), "version.py") if spec and spec.origin else None',
  'stat = os.stat(version) if version and os.path.exists(version) else None',
  'try:',
  '    driver = open("/proc/driver/nvidia/version").readline().strip()',
  'except OSError:',
  '    driver = None',
  'print(json.dumps({"executable": sys.executable, "python": sys.version, "torch": spec.origin if spec else None,',
  ' "stamp": [stat.st_size, stat.st_mtime_ns] if stat else None, "driver": driver,',
  ' "env": [os.environ.get(k) for k in ("CUDA_VISIBLE_DEVICES", "LD_LIBRARY_PATH", "PYTHONPATH")]}))',
].join('\n')

const PROBE_SCRIPT = [
  'import json, sys, platform',
  'import torch',
  'cuda = torch.cuda.is_available()',
  'print(json.dumps({"executable": sys.executable, "version": platform.python_version(), "torch": torch.__version__,',
  ' "cudaAvailable": cuda, "cudaVersion": torch.version.cuda, "deviceCount": torch.cuda.device_count() if cuda else 0}))',
].join('\n')

const PROBE_TIMEOUT_MS = 120_000

export const PYTHON_FIX_HINT =
  'Install PyTorch for one of them, e.g. on Debian: sudo apt-get install python3-torch python3-numpy; or set VIRNUCPRO_PYTHON=/path/to/python'

export class PythonNotFoundError extends Error {
  constructor(readonly attempts: readonly ProbeAttempt[]) {
    super(
      `No Python with PyTorch found. Tried:\n${attempts.map((a) => `  - ${a.candidate} (${a.origin}): ${a.failure}`).join('\n')}\n${PYTHON_FIX_HINT}`,
    )
    this.name = 'PythonNotFoundError'
  }
}

export interface ProbeAttempt {
  candidate: string
  origin: string
  failure: string
}

export interface PythonCandidate {
  command: string
  origin: string
}

/**
 * Candidates in the order the brief fixes: explicit config, VIRNUCPRO_PYTHON, PATH python3, Debian's, then `python`.
 * A Python that was named explicitly is the only candidate: silently running another one would measure the wrong
 * install while the report names the one asked for.
 */
export function pythonCandidates(configured: string | undefined, env: NodeJS.ProcessEnv): PythonCandidate[] {
  const list: PythonCandidate[] = []
  if (configured) list.push({ command: configured, origin: 'config python' })
  const fromEnv = env.VIRNUCPRO_PYTHON
  if (fromEnv) list.push({ command: fromEnv, origin: 'VIRNUCPRO_PYTHON' })
  if (list.length === 0) list.push({ command: 'python3', origin: 'PATH' }, { command: '/usr/bin/python3', origin: 'Debian system Python' }, { command: 'python', origin: 'PATH' })
  const seen = new Set<string>()
  return list.filter((c) => (seen.has(c.command) ? false : (seen.add(c.command), true)))
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n')
  return (lines[lines.length - 1] ?? '').trim()
}

/** The candidate's identity (a hash), null when torch is not even installed, or a reason it cannot be read. */
async function probeIdentity(command: string): Promise<{ key: string } | { noTorch: true } | string> {
  const result = await execa(command, ['-c', IDENTITY_SCRIPT], { reject: false, timeout: PROBE_TIMEOUT_MS, stdin: 'ignore' })
  if (result.exitCode !== 0) return 'identity unreadable'
  try {
    const identity = z.object({ torch: z.string().nullable() }).loose().parse(JSON.parse(lastLine(result.stdout)))
    if (identity.torch === null) return { noTorch: true }
    return { key: createHash('sha256').update(lastLine(result.stdout)).digest('hex').slice(0, 20) }
  } catch {
    return 'identity unreadable'
  }
}

/**
 * One candidate → its PythonInfo, or the reason it does not qualify. With `cacheDir`, a probe of the same identity
 * made earlier (another vitest process) is read instead of importing torch again.
 */
export async function probePython(command: string, cacheDir?: string): Promise<PythonInfo | string> {
  if (cacheDir === undefined) return probeByImport(command)
  const identity = await probeIdentity(command)
  // Not found, or no torch module at all: the import probe says so with its own words (and costs little then).
  if (typeof identity === 'string' || 'noTorch' in identity) return probeByImport(command)
  const file = join(cacheDir, `python-probe-${identity.key}.json`)
  try {
    const cached = PythonInfoSchema.safeParse(JSON.parse(await readFile(file, 'utf8')))
    if (cached.success) return cached.data
  } catch {
    // Not probed under this identity yet.
  }
  const info = await probeByImport(command)
  if (typeof info !== 'string') await writeJsonAtomic(file, info)
  return info
}

/** The probe proper: `import torch` and ask it. */
async function probeByImport(command: string): Promise<PythonInfo | string> {
  const result = await execa(command, ['-c', PROBE_SCRIPT], { reject: false, timeout: PROBE_TIMEOUT_MS, stdin: 'ignore' })
  if (result.failed && result.exitCode === undefined) {
    const code = (result as { code?: unknown }).code
    if (code === 'ENOENT') return 'not found'
    return result.timedOut ? `probe timed out after ${PROBE_TIMEOUT_MS / 1000} s` : (result.shortMessage ?? 'could not start')
  }
  if (result.exitCode !== 0) {
    const reason = lastLine(result.stderr)
    return reason.includes("No module named 'torch'") ? 'cannot import torch' : `exit ${result.exitCode}: ${reason || 'no output'}`
  }
  let json: unknown
  try {
    json = JSON.parse(lastLine(result.stdout))
  } catch {
    return `unreadable probe output: ${lastLine(result.stdout).slice(0, 200)}`
  }
  const parsed = PythonInfoSchema.safeParse(json)
  return parsed.success ? parsed.data : `unexpected probe output: ${z.prettifyError(parsed.error)}`
}

/** Probes candidates in order; throws PythonNotFoundError when none imports torch. */
export async function firstPythonWithTorch(candidates: readonly PythonCandidate[], cacheDir?: string): Promise<PythonInfo> {
  const attempts: ProbeAttempt[] = []
  for (const candidate of candidates) {
    const outcome = await probePython(candidate.command, cacheDir)
    if (typeof outcome !== 'string') return outcome
    attempts.push({ candidate: candidate.command, origin: candidate.origin, failure: outcome })
  }
  throw new PythonNotFoundError(attempts)
}

const cache = new Map<string, Promise<PythonInfo>>()

/** The part of the harness config that names a Python. */
export interface PythonChoice {
  python?: string | undefined
  target?: { kind: string; python?: string | undefined }
}

/**
 * The first candidate that imports torch; throws PythonNotFoundError listing every attempt and the fix.
 * Takes a path or the harness config (a virnucpro target's own python wins over the top-level one).
 */
export function locatePython(choice?: string | PythonChoice, env: NodeJS.ProcessEnv = process.env, cacheDir?: string): Promise<PythonInfo> {
  const configured = typeof choice === 'string' ? choice : (choice?.target?.python ?? choice?.python)
  const key = `${configured ?? ''}\u0000${env.VIRNUCPRO_PYTHON ?? ''}\u0000${cacheDir ?? ''}`
  const cached = cache.get(key)
  if (cached) return cached
  const search = firstPythonWithTorch(pythonCandidates(configured, env), cacheDir)
  // A failed search is not cached: the user may install torch and retry in the same process (watch mode).
  search.catch(() => cache.delete(key))
  cache.set(key, search)
  return search
}
