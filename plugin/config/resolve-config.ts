import { z } from 'zod'
import { applyEnvOverrides, EnvValueError } from './env-overrides.ts'
import { HarnessOptionsSchema, mergeThresholds, type HarnessConfig } from './harness-options.ts'

/** The namespace users see the options under, so messages read like the config they wrote. */
const OPTIONS_PREFIX = 'virnucpro'

/** A bad option or environment value; the message names the field (and the variable) and the expected form. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly fields: string[],
  ) {
    super(message)
    this.name = 'ConfigError'
  }

  /**
   * How console.error and util.inspect show it (Vitest prints a startup error with console.error): the message
   * alone, one block, without the stack trace and the `{ fields }` dump, which say nothing to the user.
   */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `${this.name}: ${this.message}`
  }
}

function describeIssue(issue: z.core.$ZodIssue, sources: Map<string, string>): { field: string; line: string } {
  const path = issue.path.map(String).join('.')
  const field = path === '' ? OPTIONS_PREFIX : `${OPTIONS_PREFIX}.${path}`
  const variable = sources.get(path)
  const where = variable === undefined ? field : `${field} / env ${variable}`
  let expected = issue.message
  if (issue.code === 'unrecognized_keys') expected = `unknown option(s) ${issue.keys.join(', ')}`
  if (issue.code === 'invalid_union' && path === 'target') expected = "target.kind must be 'reference' or 'virnucpro'"
  return { field, line: `  ✖ ${where}: ${expected}` }
}

/** Options (from vitest.config.ts) + environment overrides → the validated, defaulted config. */
export function resolveConfig(options: unknown, env: NodeJS.ProcessEnv = process.env): HarnessConfig {
  if (options !== undefined && options !== null && (typeof options !== 'object' || Array.isArray(options))) {
    throw new ConfigError(`${OPTIONS_PREFIX}: options must be an object, got ${Array.isArray(options) ? 'an array' : typeof options}`, [OPTIONS_PREFIX])
  }
  let applied
  try {
    applied = applyEnvOverrides(options ?? {}, env)
  } catch (e) {
    if (e instanceof EnvValueError) throw new ConfigError(`Invalid harness configuration:\n  ✖ ${e.message}`, [e.variable])
    throw e
  }
  const parsed = HarnessOptionsSchema.safeParse(applied.options)
  if (!parsed.success) {
    const described = parsed.error.issues.map((issue) => describeIssue(issue, applied.sources))
    throw new ConfigError(
      `Invalid harness configuration:\n${described.map((d) => d.line).join('\n')}`,
      described.map((d) => d.field),
    )
  }
  try {
    return { ...parsed.data, thresholds: mergeThresholds(parsed.data.thresholds) }
  } catch (e) {
    const message = e instanceof z.ZodError ? z.prettifyError(e) : e instanceof Error ? e.message : String(e)
    throw new ConfigError(`Invalid harness configuration:\n  ✖ ${OPTIONS_PREFIX}.${message}`, [`${OPTIONS_PREFIX}.thresholds`])
  }
}
