/// <reference types="vitest/config" />
import type { Plugin } from 'vite'
import { checkConfigPaths } from '../config/check-paths.ts'
import { detectGpus, resolveConfig, type HarnessConfig, type HarnessOptions } from '../pipeline/index.ts'
import { availableGpus } from '../pipeline/launchers/create-launcher.ts'
import { identify } from '../pipeline/process-identity.ts'
import { HarnessReporter } from './harness-reporter.ts'
import { HarnessBenchConsole } from './bench-console.ts'
import { startRunsHousekeeping } from './runs-housekeeping.ts'
import { HarnessServices } from '../api/harness-services.ts'
import type { HarnessContext } from './context.ts'

/**
 * One id per Vitest process: every project's cases land in the same store, so one report covers the run. Vitest
 * loads the config once per project (separate module instances), hence a process-global registry symbol.
 */
const SESSION = Symbol.for('virnucpro.harness.session')
const INSTALLED = Symbol.for('virnucpro.harness.reporter')
const RESOLVED = Symbol.for('virnucpro.harness.resolved')
interface Resolved {
  config: HarnessConfig
  gpus: Promise<number[]>
}
type Registry = { [SESSION]?: string; [RESOLVED]?: Map<string, Resolved> }
const registry = globalThis as Registry
registry[SESSION] ??= `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`
const sessionId = registry[SESSION]

function jsonSafe<T>(value: T): T {
  return JSON.parse(JSON.stringify(value ?? {})) as T
}

/**
 * The configuration and GPUs of this process, resolved once per set of options: configureVitest runs once per project,
 * from separate module instances, so the memo lives in the process-global registry. Workers resolve their own
 * (harnessConfig in context.ts).
 */
function resolvedOnce(options: HarnessOptions): Resolved {
  const memo = (registry[RESOLVED] ??= new Map())
  const key = JSON.stringify(options)
  let resolved = memo.get(key)
  if (resolved === undefined) {
    const config = resolveConfig(options, process.env)
    resolved = { config, gpus: harnessGpus(config) }
    memo.set(key, resolved)
  }
  return resolved
}

/** The GPUs the workers may use: the `gpus` option, or every GPU nvidia-smi finds. */
export async function harnessGpus(config: Pick<HarnessConfig, 'gpus' | 'launcher'>, detect: () => Promise<{ index: number }[]> = detectGpus): Promise<number[]> {
  // On a cluster the login node's nvidia-smi says nothing: the launcher knows the compute nodes' GPU slots.
  if (config.launcher.kind === 'slurm') return availableGpus(config)
  return config.gpus === 'auto' ? (await detect()).map((gpu) => gpu.index) : [...config.gpus]
}

/**
 * The Vitest plugin: validates the options once (a bad value stops the run before any pipeline starts), finds the
 * GPUs, hands both to the test workers through `provide`, and installs the report writer for `vitest run` and
 * `vitest bench` alike.
 */
export function virnucproHarness(options: HarnessOptions = {}): Plugin {
  return {
    name: 'virnucpro-harness',
    async configureVitest({ vitest, project }) {
      const resolved = resolvedOnce(options)
      const config = resolved.config
      // Paths named in the configuration are checked before anything runs, each error naming its field.
      checkConfigPaths(config, process.env)
      const mode = vitest.config.mode === 'benchmark' ? 'benchmark' : 'test'
      const detected = await resolved.gpus
      const context: HarnessContext = {
        sessionId,
        options: jsonSafe(options),
        gpus: detected,
        mode,
        reportsDir: config.reportsDir,
        mainProcess: identify(process.pid),
      }
      project.provide('virnucpro', context)
      const marked = vitest as unknown as { [INSTALLED]?: true }
      if (marked[INSTALLED]) return
      marked[INSTALLED] = true
      // Benchmarks time their cases: find Python (an `import torch`, seconds) and capture the machine now, while
      // Vitest starts its workers and collects, into the session cache the cases read (a case then waits for the
      // rest only). A failure here is left for the first case to find again and report.
      if (mode === 'benchmark') void new HarnessServices(config, detected, sessionId).environment().catch(() => undefined)
      // Once per harness run, before any worker starts: what killed earlier runs left behind, and the disk bound.
      const housekeeping = await startRunsHousekeeping(config)
      const reporter = new HarnessReporter({
        abandonedRuns: housekeeping.abandoned,
        reportsDir: config.reportsDir,
        sessionId,
        suite: mode === 'benchmark' ? 'bench' : 'test',
        config: jsonSafe(config),
        strict: config.strict,
        thresholds: config.thresholds,
      })
      if (mode === 'benchmark') {
        const benchmark = vitest.config.benchmark
        if (benchmark === undefined) throw new Error('virnucpro: Vitest is in benchmark mode but has no benchmark config')
        // Vitest's default bench table shows tinybench statistics of one pipeline run; ours shows the harness's figures.
        const consoleReporter = new HarnessBenchConsole(config.reportsDir, sessionId)
        const given = toList(benchmark.reporters)
        const chosen = given.length === 0 ? [consoleReporter] : given.map((r) => (r === 'default' ? consoleReporter : r))
        benchmark.reporters = [...chosen, reporter, housekeeping.reporter]
      } else {
        vitest.config.reporters.push(reporter, housekeeping.reporter)
      }
    },
  }
}

function toList<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return []
  return Array.isArray(value) ? value : [value]
}
