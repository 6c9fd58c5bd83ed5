export { resolveConfig, ConfigError } from './resolve-config.ts'
export { HarnessOptionsSchema, mergeThresholds } from './harness-options.ts'
export type {
  HarnessConfig,
  HarnessOptions,
  TargetConfig,
  ReferenceTargetConfig,
  VirnucproTargetConfig,
  ProgressMode,
  LauncherConfig,
  SlurmLauncherConfig,
  ThresholdsOverride,
} from './harness-options.ts'
export { ENV_OVERRIDES, applyEnvOverrides, envOverrides, EnvValueError } from './env-overrides.ts'
export type { EnvOverride } from './env-overrides.ts'
export { optionMeta } from './option-meta.ts'
export type { OptionMeta, EnvBinding, EnvParser } from './option-meta.ts'
export { checkConfigPaths, requirePath, pathProblem } from './check-paths.ts'
