/**
 * For the harness fault tests: a throw-away Vitest project in a temporary folder that uses this repository's plugin,
 * run as a child process (own process group, so the test can clean up every worker), with its own runs and
 * reports folders. Its test file runs one quick test, then a reference-pipeline run on CPU with two worker
 * processes that hangs in NUCLEOTIDE_FEATURES until it is stopped.
 */
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { execa, type ResultPromise } from 'execa'
import { groupMembers } from '../../pipeline/process-identity.ts'
import { runFolders } from '../../pipeline/testing/process-table.ts'

export const REPO_DIR = fileURLToPath(new URL('../../../', import.meta.url))
const VITEST_BIN = path.join(REPO_DIR, 'node_modules', 'vitest', 'vitest.mjs')
export const HANG_TEST = 'hangs in the reference pipeline'
export const QUICK_TEST = 'quick finishes'

export interface ChildProject {
  dir: string
  runsDir: string
  reportsDir: string
}

export function createChildProject(parent: string): ChildProject {
  const dir = mkdtempSync(path.join(parent ?? tmpdir(), 'child-vitest-'))
  const runsDir = path.join(dir, '.runs')
  const reportsDir = path.join(dir, 'reports')
  symlinkSync(path.join(REPO_DIR, 'node_modules'), path.join(dir, 'node_modules'))
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module", "private": true }\n')
  mkdirSync(path.join(dir, 'cases'))
  const plugin = JSON.stringify(path.join(REPO_DIR, 'plugin', 'index.ts'))
  const options = {
    runsDir,
    reportsDir,
    progress: 'off',
    target: { kind: 'reference', modelSize: 'tiny', device: 'cpu', extraArgs: ['--workers', '2', '--preload', 'on'] },
  }
  writeFileSync(
    path.join(dir, 'vitest.config.ts'),
    `import { defineConfig } from 'vitest/config'
import { virnucproHarness } from ${plugin}
export default defineConfig({
  plugins: [virnucproHarness(${JSON.stringify(options)})],
  test: { include: ['cases/*.test.ts'], pool: 'forks', testTimeout: 0, hookTimeout: 0, benchmark: { include: ['cases/*.bench.ts'] } },
})
`,
  )
  const api = (p: string): string => JSON.stringify(path.join(REPO_DIR, 'plugin', p))
  const sample = JSON.stringify(path.join(REPO_DIR, 'fixtures', 'samples', 'synth-tiny-contigs-s42.fa'))
  writeFileSync(
    path.join(dir, 'cases', 'hang.test.ts'),
    `import { test } from 'vitest'
import { CaseSession } from ${api('api/case-session.ts')}
import { committed } from ${api('api/samples.ts')}
import { testTaskHandle } from ${api('vitest/task-handle.ts')}

test(${JSON.stringify(QUICK_TEST)}, () => {})

test(${JSON.stringify(HANG_TEST)}, async (context) => {
  const session = new CaseSession({ title: 'hang', kind: 'end-to-end', file: 'cases/hang.test.ts', sample: committed(${sample}) })
  await session.run({ mode: 'optimised', gpuCount: 0, inject: ['hang-at:NUCLEOTIDE_FEATURES'] }, testTaskHandle(context.task, context.annotate))
})
`,
  )
  writeFileSync(path.join(dir, 'cases', 'noop.bench.ts'), `import { bench } from 'vitest'\nbench('noop', () => {}, { iterations: 1, time: 0 })\n`)
  return { dir, runsDir, reportsDir }
}

/** The parent's environment without anything that would make the child think it runs inside Vitest or CI config. */
function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || /^(VITEST|TINYPOOL|VIRNUCPRO_|BENCH_|GITHUB_STEP_SUMMARY)/.test(k)) continue
    env[k] = v
  }
  return { ...env, ...extra, FORCE_COLOR: '0', NO_COLOR: '1' }
}

export interface ChildVitest {
  child: ResultPromise
  pgid: number
  output: () => string
}

export function startChildVitest(project: ChildProject, mode: 'run' | 'bench', env: Record<string, string> = {}): ChildVitest {
  const args = mode === 'run' ? ['run'] : ['bench', '--run']
  const child = execa('node', [VITEST_BIN, ...args, '--root', project.dir], { cwd: project.dir, env: cleanEnv(env), extendEnv: false, detached: true, cleanup: false, reject: false, stdin: 'ignore', all: true })
  let out = ''
  child.all?.on('data', (d: Buffer) => (out += d.toString()))
  if (child.pid === undefined) throw new Error('could not start vitest')
  return { child, pgid: child.pid, output: () => out }
}

export interface HangingRun {
  runDir: string
  /** The Vitest worker that runs the pipeline (recorded in command.json as the harness). */
  workerPid: number
  pgid: number
}

/** Waits until the run hangs in its stage with both worker processes up. */
export async function waitForHangingRun(project: ChildProject, vitest: ChildVitest, limitMs = 90_000): Promise<HangingRun> {
  const start = Date.now()
  while (Date.now() - start < limitMs) {
    for (const runDir of runFolders(project.runsDir)) {
      const statusFile = path.join(runDir, 'supervisor.json')
      if (!existsSync(statusFile)) continue
      const status = JSON.parse(readFileSync(statusFile, 'utf8')) as { pipeline: { pgid: number } | null }
      const command = JSON.parse(readFileSync(path.join(runDir, 'command.json'), 'utf8')) as { harness: { pid: number } }
      const logs = ['stdout.log', 'stderr.log'].map((f) => (existsSync(path.join(runDir, f)) ? readFileSync(path.join(runDir, f), 'utf8') : '')).join('')
      // Leader, resource tracker and two spawned workers.
      if (status.pipeline !== null && /hanging in stage NUCLEOTIDE_FEATURES/.test(logs) && groupMembers(status.pipeline.pgid).length >= 3) {
        // The worker reports a test's start to the main process in throttled batches: under load the main process
        // can learn that the hanging test runs a moment after its pipeline hangs. Give that report time to arrive, so
        // a signal sent next finds the test among those running.
        await new Promise((r) => setTimeout(r, 1500))
        return { runDir, workerPid: command.harness.pid, pgid: status.pipeline.pgid }
      }
    }
    if (vitest.child.exitCode !== null) throw new Error(`vitest ended before the run hung:\n${vitest.output().slice(-3000)}`)
    await sleep(200)
  }
  throw new Error(`no hanging run after ${limitMs} ms:\n${vitest.output().slice(-3000)}`)
}

/** SIGKILLs the child Vitest's whole process group (main and forked workers), if anything of it is left. */
export function killChildVitest(vitest: ChildVitest | undefined): void {
  if (vitest === undefined) return
  try {
    process.kill(-vitest.pgid, 'SIGKILL')
  } catch {
    // gone
  }
}
