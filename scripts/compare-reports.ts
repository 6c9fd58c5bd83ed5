/**
 * npx tsx scripts/compare-reports.ts BASE.json NEW.json [--json]
 * Exit 0: no regression · 1: regression · 2: error or nothing comparable.
 */
import { readFile } from 'node:fs/promises'
import { compareReports, formatComparisonMarkdown } from '../plugin/report/compare-reports.ts'
import { parseReport, type Report } from '../plugin/report/schema.ts'

const USAGE = 'usage: compare-reports BASE.json NEW.json [--json]'

async function load(path: string): Promise<Report> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new Error(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`)
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new Error(`${path} is not JSON: ${error instanceof Error ? error.message : String(error)}`)
  }
  return parseReport(value, path)
}

export async function main(argv: readonly string[]): Promise<number> {
  const json = argv.includes('--json')
  const files = argv.filter((a) => a !== '--json')
  const unknown = files.filter((a) => a.startsWith('-'))
  if (files.length !== 2 || unknown.length > 0) {
    process.stderr.write(`${unknown.length > 0 ? `unknown option ${unknown.join(', ')}\n` : ''}${USAGE}\n`)
    return 2
  }
  try {
    const [base, next] = await Promise.all(files.map(load))
    const comparison = compareReports(base as Report, next as Report)
    process.stdout.write(json ? `${JSON.stringify(comparison, null, 2)}\n` : formatComparisonMarkdown(comparison))
    if (comparison.exitCode === 2) process.stderr.write('nothing comparable: no case id with successful runs at the same GPU count in both reports\n')
    return comparison.exitCode
  } catch (error) {
    process.stderr.write(`compare-reports: ${error instanceof Error ? error.message : String(error)}\n`)
    return 2
  }
}

process.exitCode = await main(process.argv.slice(2))
