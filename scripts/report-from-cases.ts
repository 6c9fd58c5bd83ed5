/**
 * npx tsx scripts/report-from-cases.ts CASES_DIR [--runs DIR] [--suite NAME] [--out DIR]
 * Rebuilds a report from persisted case files (reports/.cases/<session>/, or a capture's cases/): the current
 * formatter over old results. --runs points at where the run folders are now (a capture moved off its machine),
 * so their GPU timelines are found for the charts. Exit 0 written · 1 error · 2 bad command line.
 */
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { parseArgs } from 'node:util'
import { CaseResultSchema, type CaseResult } from '../plugin/model/case-result.ts'
import { DEFAULT_THRESHOLDS } from '../plugin/model/thresholds.ts'
import { buildReport } from '../plugin/report/build-report.ts'
import { consoleSummary } from '../plugin/report/console-summary.ts'
import { hostEnvironment } from '../plugin/report/host-environment.ts'
import { stampFrom, writeReports } from '../plugin/report/write-reports.ts'
import { runScript, UsageError } from './cli-support.ts'

interface Command {
  cases: string
  runs: string | null
  suite: string
  out: string
}

/** Case files written before findings had a count kept it only in the message ("… (×100)"). */
function upgrade(c: CaseResult): CaseResult {
  return {
    ...c,
    // Older case files kept the stack frame's "at " in front of the test file.
    file: c.file.replace(/^\s*at\s+/, ''),
    runs: c.runs.map((r) => ({
      ...r,
      logFindings: r.logFindings.map((f) => {
        const n = /\(×(\d+)\)$/.exec(f.message)?.[1]
        return n !== undefined && f.count === 1 ? { ...f, count: Number(n) } : f
      }),
    })),
  }
}

/** A run's timeline where the run folder is now. */
function relocate(c: CaseResult, runs: string | null): CaseResult {
  if (runs === null) return c
  return {
    ...c,
    runs: c.runs.map((r) => {
      const moved = join(runs, basename(r.runDir), 'gpu-timeline.arrow')
      return r.gpu.status === 'sampled' && existsSync(moved) ? { ...r, gpu: { ...r.gpu, timelinePath: moved } } : r
    }),
  }
}

runScript(
  'report-from-cases',
  'usage: report-from-cases CASES_DIR [--runs DIR] [--suite NAME] [--out DIR]',
  (argv): Command => {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { runs: { type: 'string' }, suite: { type: 'string' }, out: { type: 'string' } } })
    if (positionals.length !== 1 || positionals[0] === undefined) throw new UsageError('one CASES_DIR')
    return { cases: positionals[0], runs: values.runs ?? null, suite: values.suite ?? 'bench', out: values.out ?? 'reports/rebuilt' }
  },
  async (command) => {
    const names = (await readdir(command.cases)).filter((n) => n.endsWith('.json')).sort()
    const cases = await Promise.all(names.map(async (n) => relocate(upgrade(CaseResultSchema.parse(JSON.parse(await readFile(join(command.cases, n), 'utf8')))), command.runs)))
    const createdAt = new Date().toISOString()
    const environment = cases.flatMap((c) => c.runs)[0]?.environment ?? hostEnvironment()
    const report = buildReport({ suite: command.suite, createdAt, complete: true, strict: false, environment, config: { rebuiltFrom: command.cases }, thresholds: DEFAULT_THRESHOLDS, cases })
    const written = await writeReports(report, { reportsDir: command.out, stamp: stampFrom(createdAt) })
    for (const line of consoleSummary(report, written, null)) console.log(line)
  },
)
