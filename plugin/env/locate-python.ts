/**
 * Finds a Python that imports torch. Probing each candidate costs one `import torch` (seconds), so the answer is
 * cached per process and per explicit choice.
 */
import { execa } from 'execa'
import { z } from 'zod'
import { PythonInfoSchema, type PythonInfo } from '../model/environment.ts'

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

/** One candidate → its PythonInfo, or the reason it does not qualify. */
export async function probePython(command: string): Promise<PythonInfo | string> {
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
export async function firstPythonWithTorch(candidates: readonly PythonCandidate[]): Promise<PythonInfo> {
  const attempts: ProbeAttempt[] = []
  for (const candidate of candidates) {
    const outcome = await probePython(candidate.command)
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
export function locatePython(choice?: string | PythonChoice, env: NodeJS.ProcessEnv = process.env): Promise<PythonInfo> {
  const configured = typeof choice === 'string' ? choice : (choice?.target?.python ?? choice?.python)
  const key = `${configured ?? ''}\u0000${env.VIRNUCPRO_PYTHON ?? ''}`
  const cached = cache.get(key)
  if (cached) return cached
  const search = firstPythonWithTorch(pythonCandidates(configured, env))
  // A failed search is not cached: the user may install torch and retry in the same process (watch mode).
  search.catch(() => cache.delete(key))
  cache.set(key, search)
  return search
}
