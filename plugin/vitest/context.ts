import { inject } from 'vitest'
import { resolveConfig } from '../config/resolve-config.ts'
import type { HarnessConfig, HarnessOptions } from '../config/harness-options.ts'

/** What the plugin hands every test worker (main → worker through `provide`; must stay structured-cloneable). */
export interface HarnessContext {
  sessionId: string
  /** The options given in vitest.config.ts (JSON-safe); each worker resolves them once with its own environment. */
  options: HarnessOptions
  /** Physical GPU indices the machine offers (after the `gpus` option), found once in the main process. */
  gpus: number[]
  mode: 'benchmark' | 'test'
  reportsDir: string
  /** The Vitest main process (pid + /proc start time): runs end when it does, even if a forked worker lives on. */
  mainProcess?: { pid: number; startTime: number | null }
}

declare module 'vitest' {
  interface ProvidedContext {
    virnucpro: HarnessContext
  }
  interface TaskMeta {
    /** Links a Vitest task to the persisted case it contributed to. */
    virnucpro?: { caseId: string }
  }
}

/** The context, or a clear error when a test file uses the API without the plugin in vitest.config.ts. */
export function harnessContext(): HarnessContext {
  const context = inject('virnucpro')
  if (context === undefined) {
    throw new Error('virnucpro: the harness plugin is not configured; add `plugins: [virnucproHarness()]` to vitest.config.ts')
  }
  return context
}

const CONFIG = Symbol.for('virnucpro.harness.config')
type Registry = { [CONFIG]?: { key: string; config: HarnessConfig } }

/**
 * The configuration this worker runs with, resolved once per worker process from the provided options and the
 * worker's environment (kept on globalThis: Vitest re-imports modules for every test file of a worker).
 */
export function harnessConfig(): HarnessConfig {
  const context = harnessContext()
  const key = `${context.sessionId}|${JSON.stringify(context.options)}`
  const registry = globalThis as Registry
  if (registry[CONFIG]?.key !== key) registry[CONFIG] = { key, config: resolveConfig(context.options, process.env) }
  return registry[CONFIG].config
}
