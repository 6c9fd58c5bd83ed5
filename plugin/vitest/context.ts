import { inject } from 'vitest'

/** What the plugin hands every test worker (main → worker through `provide`; must stay structured-cloneable). */
export interface HarnessContext {
  sessionId: string
  /** The options given in vitest.config.ts; workers resolve them again with their own environment. */
  options: Record<string, unknown>
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
