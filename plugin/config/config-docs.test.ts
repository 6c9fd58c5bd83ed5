import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DOC_TABLES, GENERATED_TABLES, generatedSection, withGeneratedTables } from './config-docs.ts'
import { ENV_OVERRIDES } from './env-overrides.ts'
import { HarnessOptionsSchema } from './harness-options.ts'

const ROOT = resolve(import.meta.dirname, '..', '..')

describe('README tables', () => {
  for (const [file, tables] of Object.entries(DOC_TABLES)) {
    for (const name of tables) {
      it(`${file} ${name} matches the schema (regenerate: npx tsx scripts/write-config-docs.ts)`, () => {
        const markdown = readFileSync(resolve(ROOT, file), 'utf8')
        expect(generatedSection(markdown, name)).toBe(GENERATED_TABLES[name]())
      })
    }
  }

  it('lists every option and every variable the schema declares', () => {
    const options = GENERATED_TABLES['options-table']()
    for (const key of Object.keys(HarnessOptionsSchema.shape)) expect(options).toContain(`| \`${key}\` |`)
    const env = GENERATED_TABLES['env-overrides-table']()
    for (const b of ENV_OVERRIDES) expect(env).toContain(`\`${b.variable}\``)
  })

  it('detects a stale table', () => {
    const stale = '<!-- generated:options-table (npx tsx scripts/write-config-docs.ts) -->\n| old |\n<!-- /generated:options-table -->'
    expect(generatedSection(stale, 'options-table')).toBe('| old |')
    expect(generatedSection(withGeneratedTables(stale, ['options-table']), 'options-table')).toBe(GENERATED_TABLES['options-table']())
  })
})
