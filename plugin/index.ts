/** Public surface: the Vitest plugin for vitest.config.ts, and the authoring API for benches/ and validations/. */
export { virnucproHarness } from './vitest/plugin.ts'
export type { HarnessOptions } from './config/index.ts'
export * from './api/index.ts'
