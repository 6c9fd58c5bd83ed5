/// <reference types="vitest/config" />
import type { Plugin } from 'vite'
import { checkConfigPaths } from '../config/check-paths.ts'
import { resolveConfig, detectGpus } from '../pipeline/index.ts'
import { HarnessReporter } from '../report/vitest-reporter.ts'
import { startRunsHousekeeping } from './runs-housekeeping.ts'
import { identify } from '../pipeline/process-identity.ts'
import type { HarnessContext } from './context.ts'

/**
 * One id per Vitest process: every project's cases land in the same store, so one report covers the run. Vitest
 * loads the config once per project (separate module instances), hence a process-global registry symbol.
 */
const SESSION = Symbol.for('virnucpro.harness.session')
const INSTALLED = Symbol.for('virnucpro.harness.reporter')
type Registry = { [SESSION]?: string }
const registry = globalThis as Registry
registry[SESSION] ??= `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`
const sessionId = registry[SESSION]

function jsonSafe(value: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value ?? {})) as Record<string, unknown>
}

/**
 * The Vitest plugin: validates the options once (a bad value stops the run before any pipeline starts), finds the
 * GPUs, hands both to the test workers through `provide`, and installs the report writer for `vitest run` and
 * `vitest bench` alike.
 */
export function virnucproHarness(options: Record<string, unknown> = {}): Plugin {
  return {
    name: 'virnucpro-harness',
    async configureVitest({ vitest, project }) {
      const config = resolveConfig(options, process.env)
      checkConfigPaths(config, process.env)
      const mode = vitest.config.mode === 'benchmark' ? 'benchmark' : 'test'
      const detected = config.gpus === 'auto' ? (await detectGpus()).map((gpu) => gpu.index) : config.gpus
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
        benchmark.reporters = [...toList(benchmark.reporters), reporter, housekeeping.reporter]
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
