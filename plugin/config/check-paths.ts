/**
 * Paths in the configuration exist before anything runs: a bad one is named (option and variable) in one
 * ConfigError, instead of surfacing mid-run as a misleading `spawn … ENOENT` or a silently used other Python.
 */
import { accessSync, constants, statSync } from 'node:fs'
import path from 'node:path'
import { ConfigError } from './resolve-config.ts'
import type { HarnessConfig } from './harness-options.ts'

type Kind = 'file' | 'directory' | 'executable'

/** Why `p` is not a usable `kind`, or null when it is. A bare command name (no '/') is looked up on PATH. */
export function pathProblem(p: string, kind: Kind, env: NodeJS.ProcessEnv = process.env): string | null {
  if (kind === 'executable' && !p.includes('/')) {
    const dirs = (env.PATH ?? '').split(':').filter((d) => d !== '')
    return dirs.some((d) => pathProblem(path.join(d, p), 'executable', env) === null) ? null : `${p} is not on PATH`
  }
  let stat
  try {
    stat = statSync(p)
  } catch {
    return `${p} does not exist`
  }
  if (kind === 'directory') return stat.isDirectory() ? null : `${p} is not a directory`
  if (!stat.isFile()) return `${p} is not a file`
  if (kind === 'executable') {
    try {
      accessSync(p, constants.X_OK)
    } catch {
      return `${p} is not executable`
    }
  }
  return null
}

interface Check {
  field: string
  variable?: string
  value: string | undefined
  kind: Kind
}

/** Environment variables that name a sample manifest (realSample({ manifestEnv })), by convention `VIRNUCPRO_…_MANIFEST`. */
function manifestVariables(env: NodeJS.ProcessEnv): Check[] {
  return Object.entries(env)
    .filter(([name, value]) => /^VIRNUCPRO_\w*MANIFEST$/.test(name) && value !== undefined && value !== '')
    .map(([name, value]) => ({ field: `env ${name}`, value, kind: 'file' as const }))
}

function line(c: Check, problem: string): string {
  const where = c.variable !== undefined && c.variable !== '' ? `${c.field} / env ${c.variable}` : c.field
  return `  ✖ ${where}: ${problem}`
}

/**
 * Every path the config names: the Python(s), the tool's repository, a custom vanilla command, and manifests named
 * by environment variables. Throws one ConfigError listing each bad one. `env` decides which variable set what.
 */
export function checkConfigPaths(config: HarnessConfig, env: NodeJS.ProcessEnv = process.env): void {
  const fromEnv = (variable: string, value: string | undefined): string | undefined => (value !== undefined && env[variable] === value ? variable : undefined)
  const checks: Check[] = []
  const python = fromEnv('VIRNUCPRO_PYTHON', config.python)
  checks.push({ field: 'virnucpro.python', ...(python ? { variable: python } : {}), value: config.python, kind: 'executable' })
  if (config.target.kind === 'virnucpro') {
    const repo = fromEnv('VIRNUCPRO_REPO', config.target.repoDir)
    checks.push({ field: 'virnucpro.target.repoDir', ...(repo ? { variable: repo } : {}), value: config.target.repoDir, kind: 'directory' })
    checks.push({ field: 'virnucpro.target.python', value: config.target.python, kind: 'executable' })
    checks.push({ field: 'virnucpro.target.vanillaCommand[0]', value: config.target.vanillaCommand?.[0], kind: 'executable' })
  }
  checks.push(...manifestVariables(env))
  const problems: { field: string; line: string }[] = []
  for (const c of checks) {
    if (c.value === undefined) continue
    const problem = pathProblem(c.value, c.kind, env)
    if (problem !== null) problems.push({ field: c.field, line: line(c, problem) })
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid harness configuration:\n${problems.map((p) => p.line).join('\n')}`, problems.map((p) => p.field))
  }
}

/** For the authoring API: a path a test file names (a reference, a manifest) must exist when the file is collected. */
export function requirePath(field: string, p: string, kind: Kind): void {
  const problem = pathProblem(path.resolve(p), kind)
  if (problem !== null) throw new ConfigError(`Invalid ${field}: ${problem}`, [field])
}
