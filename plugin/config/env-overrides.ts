/**
 * Environment variables that override plugin options on GPU machines, so one vitest.config.ts serves every box.
 * Nothing here names a variable: each one is declared on its option in the schema (harness-options.ts, `optionMeta`),
 * and the bindings, the parsing and the error messages below are derived from that declaration.
 */
import { z } from 'zod'
import { HarnessOptionsSchema } from './harness-options.ts'
import { optionMeta, type EnvBinding } from './option-meta.ts'

/** One variable bound to one option field. A variable may bind the same idea in several target kinds. */
export interface EnvOverride extends EnvBinding {
  /** The option path it sets, e.g. ['gpus'] or ['target', 'modelSize']. */
  path: string[]
  /** For a field inside one kind of target: that kind. */
  kind?: string
}

export class EnvValueError extends Error {
  constructor(
    readonly variable: string,
    readonly value: string,
    readonly form: string,
  ) {
    super(`env ${variable}=${JSON.stringify(value)}: expected ${form}`)
    this.name = 'EnvValueError'
  }
}

type ObjectSchema = z.ZodObject<z.ZodRawShape>

interface Variant {
  kind: string | undefined
  schema: ObjectSchema
}

/** The variants of a discriminated-union field (the target), each with its kind; none for any other field. */
function variantsOf(field: z.ZodType): Variant[] {
  let inner: z.ZodType = field
  while (inner instanceof z.ZodDefault || inner instanceof z.ZodOptional) inner = inner.unwrap() as z.ZodType
  if (!(inner instanceof z.ZodDiscriminatedUnion)) return []
  const discriminator = inner.def.discriminator
  return (inner.options as ObjectSchema[]).map((schema): Variant => {
    const literal = schema.shape[discriminator]
    return { kind: literal instanceof z.ZodLiteral ? String(literal.value) : undefined, schema }
  })
}

/** Every variable the schema declares, in declaration order (top-level fields, then fields inside each target kind). */
export function envOverrides(schema: ObjectSchema = HarnessOptionsSchema as unknown as ObjectSchema): EnvOverride[] {
  const out: EnvOverride[] = []
  for (const [key, field] of Object.entries(schema.shape)) {
    const env = optionMeta.get(field)?.env
    if (env !== undefined) out.push({ ...env, path: env.parser === 'kind' ? [key, 'kind'] : [key] })
    for (const { kind, schema: variant } of variantsOf(field as z.ZodType)) {
      for (const [inner, innerField] of Object.entries(variant.shape)) {
        const innerEnv = optionMeta.get(innerField)?.env
        if (innerEnv !== undefined) out.push({ ...innerEnv, path: [key, inner], ...(kind === undefined ? {} : { kind }) })
      }
    }
  }
  return out
}

/** The variables' names and forms, derived once; what the README tables are generated from. */
export const ENV_OVERRIDES: readonly EnvOverride[] = envOverrides()

function number(binding: EnvOverride, raw: string): number {
  const value = Number(raw.trim())
  // Numbers pass through as numbers so the option schema reports range errors; text that is not a number fails here.
  if (raw.trim() === '' || !Number.isFinite(value)) throw new EnvValueError(binding.variable, raw, binding.form)
  return value
}

function gpuList(binding: EnvOverride, raw: string): 'auto' | number[] {
  if (raw.trim() === 'auto') return 'auto'
  const parts = raw.split(',').map((p) => p.trim())
  if (parts.some((p) => !/^\d+$/.test(p))) throw new EnvValueError(binding.variable, raw, binding.form)
  return parts.map(Number)
}

function flag(binding: EnvOverride, raw: string): boolean {
  const v = raw.trim().toLowerCase()
  if (['1', 'true', 'yes', 'on'].includes(v)) return true
  if (['0', 'false', 'no', 'off', ''].includes(v)) return false
  throw new EnvValueError(binding.variable, raw, binding.form)
}

function parse(binding: EnvOverride, raw: string): unknown {
  switch (binding.parser) {
    case 'text':
      return raw
    case 'choice':
    case 'kind':
      return raw.trim()
    case 'number':
      return number(binding, raw)
    case 'flag':
      return flag(binding, raw)
    case 'gpus':
      return gpuList(binding, raw)
    case 'words':
      return raw.trim().split(/\s+/).filter((a) => a !== '')
  }
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {}
}

export interface AppliedOverrides {
  options: Record<string, unknown>
  /** Option path → the variable that set it, so schema errors can name the variable. */
  sources: Map<string, string>
}

/** The kind a union field defaults to (`reference` for the target), which variables bound in every kind imply. */
function defaultKind(key: string): string | undefined {
  const field = HarnessOptionsSchema.shape[key as keyof typeof HarnessOptionsSchema.shape]
  if (!(field instanceof z.ZodDefault)) return undefined
  const value: unknown = field.def.defaultValue
  return typeof value === 'object' && value !== null && 'kind' in value ? String(value.kind) : undefined
}

/**
 * The kinded variables of one union field (the target), applied over `current`:
 * - the kind variable picks the kind; switching kinds drops the other kind's fields (they would only be rejected as
 *   unknown keys);
 * - a variable only one kind has implies that kind when none is set (VIRNUCPRO_REPO → virnucpro), and is ignored
 *   under another kind;
 * - a variable several kinds have follows the kind chosen, else the default kind.
 * Single-kind variables go first so that they, not the default, settle an unset kind.
 */
function applyKinded(key: string, current: unknown, bindings: readonly EnvOverride[], get: (name: string) => string | undefined, sources: Map<string, string>): Record<string, unknown> {
  let target = record(current)
  // Every kind of the union, also those without variables of their own (the local launcher has no fields).
  const field = HarnessOptionsSchema.shape[key as keyof typeof HarnessOptionsSchema.shape] as z.ZodType | undefined
  const kinds = field === undefined ? [] : variantsOf(field).flatMap((v) => (v.kind === undefined ? [] : [v.kind]))
  for (const binding of bindings.filter((b) => b.parser === 'kind')) {
    const raw = get(binding.variable)
    if (raw === undefined) continue
    const kind = String(parse(binding, raw))
    if (!kinds.includes(kind)) throw new EnvValueError(binding.variable, raw, binding.form)
    if (target.kind !== kind) target = { kind }
    sources.set(binding.path.join('.'), binding.variable)
  }
  const byVariable = new Map<string, EnvOverride[]>()
  for (const b of bindings.filter((x) => x.kind !== undefined)) byVariable.set(b.variable, [...(byVariable.get(b.variable) ?? []), b])
  const ordered = [...byVariable.entries()].sort((a, b) => a[1].length - b[1].length)
  for (const [variable, options] of ordered) {
    const raw = get(variable)
    if (raw === undefined) continue
    if (target.kind === undefined) target.kind = options.length === 1 ? options[0]?.kind : (options.find((o) => o.kind === defaultKind(key)) ?? options[0])?.kind
    const binding = options.find((o) => o.kind === target.kind)
    if (binding === undefined) continue
    const field = binding.path[binding.path.length - 1] as string
    target[field] = parse(binding, raw)
    sources.set(binding.path.join('.'), variable)
  }
  return target
}

/** Options with the environment's overrides applied on top; a value of the wrong form throws EnvValueError. */
export function applyEnvOverrides(options: unknown, env: NodeJS.ProcessEnv, bindings: readonly EnvOverride[] = ENV_OVERRIDES): AppliedOverrides {
  const out = record(options)
  const sources = new Map<string, string>()
  const get = (name: string): string | undefined => {
    const v = env[name]
    return v === undefined || v === '' ? undefined : v
  }
  for (const binding of bindings.filter((b) => b.path.length === 1)) {
    const raw = get(binding.variable)
    if (raw === undefined) continue
    out[binding.path[0] as string] = parse(binding, raw)
    sources.set(binding.path.join('.'), binding.variable)
  }
  const unions = [...new Set(bindings.filter((b) => b.path.length > 1).map((b) => b.path[0] as string))]
  for (const key of unions) {
    const target = applyKinded(key, out[key], bindings.filter((b) => b.path[0] === key), get, sources)
    if (Object.keys(target).length > 0) out[key] = target
  }
  return { options: out, sources }
}
