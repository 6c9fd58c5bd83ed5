/**
 * write-config-docs: regenerates the option and environment-variable tables in README.md and plugin/config/README.md
 * from the schema (plugin/config/harness-options.ts). Exit codes: 0 written (or already current), 1 markers missing, 2 usage.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { DOC_TABLES, withGeneratedTables } from '../plugin/config/config-docs.ts'
import { runScript, UsageError } from './cli-support.ts'

const ROOT = resolve(import.meta.dirname, '..')

async function writeConfigDocs(): Promise<void> {
  for (const [file, tables] of Object.entries(DOC_TABLES)) {
    const path = resolve(ROOT, file)
    const before = await readFile(path, 'utf8')
    const after = withGeneratedTables(before, tables)
    if (after !== before) await writeFile(path, after)
    process.stdout.write(`${file}: ${after === before ? 'current' : 'rewritten'} (${tables.join(', ')})\n`)
  }
}

runScript('write-config-docs', 'usage: write-config-docs (no arguments)', (argv) => {
  if (argv.length > 0) throw new UsageError(`unexpected arguments: ${argv.join(' ')}`)
}, writeConfigDocs)
