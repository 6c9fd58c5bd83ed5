/**
 * The README tables of options and environment variables, rendered from the schema's own metadata (option-meta.ts),
 * and the marker comments they live between. Pure: scripts/write-config-docs.ts writes them, config-docs.test.ts fails
 * when a README and the schema disagree.
 */
import { z } from 'zod'
import { ENV_OVERRIDES, type EnvOverride } from './env-overrides.ts'
import { HarnessOptionsSchema } from './harness-options.ts'
import { optionMeta } from './option-meta.ts'

/** A markdown cell: pipes would end the cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|')
}

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n')
}

function shownDefault(field: z.ZodType): string {
  const meta = optionMeta.get(field)
  if (meta?.shownDefault !== undefined) return meta.shownDefault
  if (!(field instanceof z.ZodDefault)) return '—'
  const value: unknown = field.def.defaultValue
  return `\`${typeof value === 'string' ? `'${value}'` : JSON.stringify(value)}\``
}

/** Option | Default | Meaning, one row per top-level option, in schema order. */
export function optionsTable(): string {
  const rows = Object.entries(HarnessOptionsSchema.shape).map(([key, field]) => {
    const description = optionMeta.get(field)?.description
    if (description === undefined) throw new Error(`option ${key} has no description in the schema (optionMeta)`)
    return [`\`${key}\``, shownDefault(field as z.ZodType), description]
  })
  return table(['Option', 'Default', 'Meaning'], rows)
}

/** The bindings of each variable, in declaration order (a variable may set a field in several target kinds). */
function byVariable(): EnvOverride[][] {
  const groups = new Map<string, EnvOverride[]>()
  for (const b of ENV_OVERRIDES) groups.set(b.variable, [...(groups.get(b.variable) ?? []), b])
  return [...groups.values()]
}

function first<K extends keyof EnvOverride>(bindings: readonly EnvOverride[], key: K): EnvOverride[K] | undefined {
  return bindings.find((b) => b[key] !== undefined)?.[key]
}

/** Variable | Sets | Form: the full list, for plugin/config/README.md. */
export function envOverridesTable(): string {
  const rows = byVariable().map((bindings) => {
    const paths = [...new Set(bindings.map((b) => `\`${b.path.join('.')}\``))].join(' / ')
    const forms = [...new Set(bindings.map((b) => b.form))]
    const form = forms.length === 1 ? (forms[0] as string) : bindings.map((b) => `${b.form} (${b.kind ?? 'any'})`).join(' or ')
    const note = first(bindings, 'note')
    return [`\`${bindings[0]?.variable ?? ''}\``, paths, note === undefined ? form : `${form} (${note})`]
  })
  return table(['Variable', 'Sets', 'Form'], rows)
}

/** variable=example | meaning: the short list for README.md "On GPU machines". */
export function envExamplesTable(): string {
  const rows = byVariable().map((bindings) => {
    const variable = bindings[0]?.variable ?? ''
    const example = first(bindings, 'example')
    const meaning = first(bindings, 'meaning') ?? optionMeta.get(HarnessOptionsSchema.shape[bindings[0]?.path[0] as keyof typeof HarnessOptionsSchema.shape])?.description ?? ''
    return [`\`${example === undefined ? variable : `${variable}=${example}`}\``, meaning]
  })
  return table(['variable', 'meaning'], rows)
}

export const GENERATED_TABLES = {
  'options-table': optionsTable,
  'env-overrides-table': envOverridesTable,
  'env-examples-table': envExamplesTable,
} as const
export type GeneratedTable = keyof typeof GENERATED_TABLES

/** Which generated tables each markdown file holds (paths from the repository root). */
export const DOC_TABLES: Record<string, GeneratedTable[]> = {
  'README.md': ['env-examples-table'],
  'plugin/config/README.md': ['options-table', 'env-overrides-table'],
}

const begin = (name: string): string => `<!-- generated:${name} (npx tsx scripts/write-config-docs.ts) -->`
const end = (name: string): string => `<!-- /generated:${name} -->`

/** The text between a table's markers, or null when the markers are missing. */
export function generatedSection(markdown: string, name: GeneratedTable): string | null {
  const from = markdown.indexOf(begin(name))
  const to = markdown.indexOf(end(name))
  if (from < 0 || to < from) return null
  return markdown.slice(from + begin(name).length, to).trim()
}

/** The markdown with every named table regenerated between its markers; missing markers are an error. */
export function withGeneratedTables(markdown: string, names: readonly GeneratedTable[]): string {
  let out = markdown
  for (const name of names) {
    const from = out.indexOf(begin(name))
    const to = out.indexOf(end(name))
    if (from < 0 || to < from) throw new Error(`no ${begin(name)} … ${end(name)} markers`)
    out = `${out.slice(0, from + begin(name).length)}\n${GENERATED_TABLES[name]()}\n${out.slice(to)}`
  }
  return out
}
