/**
 * What the schema says about each option beyond its type: the user-facing meaning and, where one exists, the
 * environment variable that overrides it. Attached to the zod fields themselves (a zod registry), so the override
 * parsing (env-overrides.ts), its error messages and the README tables (config-docs.ts) are all derived from one place.
 */
import { z } from 'zod'

/** How a variable's text becomes the option's value before the schema validates it. */
export type EnvParser =
  /** Taken as written (paths). */
  | 'text'
  /** Trimmed; the schema checks it is one of the allowed values. */
  | 'choice'
  /** A finite number; range errors come from the schema. */
  | 'number'
  /** 1 | 0 | true | false | yes | no | on | off. */
  | 'flag'
  /** Comma-separated GPU indices, or `auto`. */
  | 'gpus'
  /** Arguments separated by white space. */
  | 'words'
  /** The discriminator of a union of option objects (the target kind). */
  | 'kind'

export interface EnvBinding {
  variable: string
  /** Expected form, for error messages and the README. */
  form: string
  parser: EnvParser
  /** An example setting for the README's short table, e.g. `0,1,2,3` (one binding of the variable gives it). */
  example?: string
  /** One line for the README's short table (one binding of the variable gives it); else the option's description. */
  meaning?: string
  /** How the variable interacts with the others (e.g. "implies `virnucpro` when no kind is set"). */
  note?: string
}

export interface OptionMeta {
  /** One line for the options table; fields inside the target need none (the `target` row describes them). */
  description?: string
  /** The default as the options table shows it, where the value itself would not read well. */
  shownDefault?: string
  env?: EnvBinding
}

export const optionMeta = z.registry<OptionMeta>()
