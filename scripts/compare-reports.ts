/**
 * npx tsx scripts/compare-reports.ts BASE.json NEW.json [--json] [--allow-incomplete]
 *   [--min-seconds 0.5] [--min-change-seconds 0.2] [--alpha 0.05]
 * npx tsx scripts/compare-reports.ts --base A1.json --base A2.json … --new B1.json --new B2.json … [options]
 *   several reports a side (sessions made alternately, A B A B …): their runs pooled per case (plugin/report/pool-reports.ts)
 * Exit 0: no regression · 1: regression · 2: error, nothing comparable, or inputs that cannot be compared honestly
 * (an incomplete report, failed cases, a case on one side only) unless --allow-incomplete.
 */
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { DEFAULT_NOISE_RULES, type NoiseRules } from '../plugin/analysis/regression.ts'
import { compareReports, formatComparisonMarkdown } from '../plugin/report/compare-reports.ts'
import { poolReports } from '../plugin/report/pool-reports.ts'
import { parseReport, type Report } from '../plugin/report/schema.ts'

const USAGE = 'usage: compare-reports BASE.json NEW.json | --base A.json [--base …] --new B.json [--new …]  [--json] [--allow-incomplete] [--min-seconds S] [--min-change-seconds S] [--alpha A]'

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

function number(name: string, text: string | undefined, fallback: number, max = Number.POSITIVE_INFINITY): number {
  if (text === undefined) return fallback
  const value = Number(text)
  if (!Number.isFinite(value) || value < 0 || value > max) throw new Error(`--${name} needs a number in 0..${max}, got "${text}"`)
  return value
}

interface Command {
  base: string[]
  next: string[]
  json: boolean
  allowIncomplete: boolean
  noise: NoiseRules
}

function parse(argv: readonly string[]): Command {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      'allow-incomplete': { type: 'boolean', default: false },
      'min-seconds': { type: 'string' },
      'min-change-seconds': { type: 'string' },
      alpha: { type: 'string' },
      base: { type: 'string', multiple: true },
      new: { type: 'string', multiple: true },
    },
  })
  const sides = values.base !== undefined || values.new !== undefined
  if (sides && positionals.length > 0) throw new Error(`give either two report files or --base/--new, not both (got ${positionals.join(', ')} as well)`)
  if (sides && (values.base === undefined || values.new === undefined)) throw new Error('--base and --new each need at least one report')
  if (!sides && positionals.length !== 2) throw new Error(`expected two report files, got ${positionals.length}`)
  return {
    base: sides ? values.base! : [positionals[0]!],
    next: sides ? values.new! : [positionals[1]!],
    json: values.json,
    allowIncomplete: values['allow-incomplete'],
    noise: {
      minSeconds: number('min-seconds', values['min-seconds'], DEFAULT_NOISE_RULES.minSeconds),
      minChangeSeconds: number('min-change-seconds', values['min-change-seconds'], DEFAULT_NOISE_RULES.minChangeSeconds),
      alpha: number('alpha', values.alpha, DEFAULT_NOISE_RULES.alpha, 1),
    },
  }
}

export async function main(argv: readonly string[]): Promise<number> {
  let command: Command
  try {
    command = parse(argv)
  } catch (error) {
    process.stderr.write(`compare-reports: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`)
    return 2
  }
  try {
    const [base, next] = await Promise.all([command.base, command.next].map(async (files) => poolReports(await Promise.all(files.map(load)))))
    const comparison = compareReports(base as Report, next as Report, { allowIncomplete: command.allowIncomplete, noise: command.noise })
    process.stdout.write(command.json ? `${JSON.stringify(comparison, null, 2)}\n` : formatComparisonMarkdown(comparison))
    if (comparison.exitCode === 2) {
      const why = comparison.inputProblems.length > 0 && !comparison.allowIncomplete
        ? `inputs cannot be compared as they are (${comparison.inputProblems.join('; ')}); --allow-incomplete compares what it can`
        : 'no case id with successful runs at the same GPU count in both reports'
      process.stderr.write(`nothing comparable: ${why}\n`)
    }
    return comparison.exitCode
  } catch (error) {
    process.stderr.write(`compare-reports: ${error instanceof Error ? error.message : String(error)}\n`)
    return 2
  }
}

process.exitCode = await main(process.argv.slice(2))
