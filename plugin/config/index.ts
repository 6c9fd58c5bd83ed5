export { resolveConfig, ConfigError } from './resolve-config.ts'
export { HarnessOptionsSchema, mergeThresholds } from './harness-options.ts'
export type {
  HarnessConfig,
  HarnessOptions,
  TargetConfig,
  ReferenceTargetConfig,
  VirnucproTargetConfig,
  ProgressMode,
  ThresholdsOverride,
} from './harness-options.ts'
export { ENV_OVERRIDES, applyEnvOverrides } from './env-overrides.ts'
export { checkConfigPaths, requirePath, pathProblem } from './check-paths.ts'
