/**
 * The report a stopped suite leaves behind. Vitest's main process answers SIGINT/SIGTERM with `process.exit()` one
 * millisecond later, so nothing asynchronous gets to run: this module reads the case store, builds the report and
 * writes it with synchronous calls only, from inside the signal listener. GPU timelines (Arrow files) are left out
 * of the charts for the same reason; every other section is the same as in a live rewrite.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { dirname, join } from 'node:path'
import type { AbandonedRun } from '../model/abandoned-run.ts'
import { CaseResultSchema, type CaseResult } from '../model/case-result.ts'
import type { Environment } from '../model/environment.ts'
import { DEFAULT_THRESHOLDS, type Thresholds } from '../model/thresholds.ts'
import { buildReport } from './build-report.ts'
import { planCharts } from './chart-plan.ts'
import type { ReportFormatter } from './formatter.ts'
import { hostEnvironment } from './host-environment.ts'
import { JsonReport } from './json-report.ts'
import { MarkdownReport } from './markdown-report.ts'
import type { Interruption, Report } from './schema.ts'
import { SvgCharts } from './svg-charts.ts'
import { latestNames } from './write-reports.ts'

/** Cases of a store directory, read synchronously; unreadable files are skipped (the async reader names them). */
export function readCasesSync(dir: string): CaseResult[] {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  const cases: CaseResult[] = []
  for (const name of names.filter((n) => n.endsWith('.json') && n !== SESSION_MARKER).sort()) {
    try {
      const parsed = CaseResultSchema.safeParse(JSON.parse(readFileSync(join(dir, name), 'utf8')))
      if (parsed.success) cases.push(parsed.data)
    } catch {
      // half-written or foreign file: not a case
    }
  }
  return cases
}

/** A case-store session's own record (not a case): who wrote it and whether its suite ended. */
export const SESSION_MARKER = 'session.json'

function writeFileAtomicSync(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true })
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`
  try {
    writeFileSync(tmp, content, 'utf8')
    renameSync(tmp, path)
  } catch (error) {
    rmSync(tmp, { force: true })
    throw new Error(`could not write ${path}: ${error instanceof Error ? error.message : String(error)}`)
  }
}

export interface InterruptedReportInput {
  storeDir: string
  reportsDir: string
  stamp: string
  suite: string
  createdAt: string
  strict: boolean
  config: Record<string, unknown>
  thresholds?: Thresholds
  environment?: Environment
  interruption: Interruption
  extraCases?: readonly CaseResult[]
  abandonedRuns?: readonly AbandonedRun[]
  /** Also rewrite latest-<suite>.md / .json (false when a later session's report already owns them). */
  latest?: boolean
}

/** Builds and writes the interrupted report synchronously; returns it with the paths written. */
export function writeInterruptedReportSync(input: InterruptedReportInput): { report: Report; files: string[] } {
  const stored = readCasesSync(input.storeDir)
  const ids = new Set(stored.map((c) => c.id))
  const cases = [...stored, ...(input.extraCases ?? []).filter((c) => !ids.has(c.id))]
  const report = buildReport({
    suite: input.suite,
    createdAt: input.createdAt,
    complete: false,
    strict: input.strict,
    environment: input.environment ?? cases.flatMap((c) => c.runs)[0]?.environment ?? hostEnvironment(),
    config: input.config,
    thresholds: input.thresholds ?? DEFAULT_THRESHOLDS,
    cases,
    interruption: input.interruption,
    abandonedRuns: input.abandonedRuns ?? [],
  })
  const base = `${input.stamp}-${report.suite}`
  const context = { charts: planCharts(report, `charts/${base}`, new Set()), timelines: new Map() }
  const latest = latestNames(report.suite)
  const formatters: ReportFormatter[] =
    input.latest === false
      ? [new SvgCharts(), new MarkdownReport(`${base}.md`), new JsonReport(`${base}.json`)]
      : [new SvgCharts(), new MarkdownReport(`${base}.md`, latest.markdown), new JsonReport(`${base}.json`, latest.json)]
  const files: string[] = []
  for (const file of formatters.flatMap((f) => f.render(report, context))) {
    const path = join(input.reportsDir, file.path)
    writeFileAtomicSync(path, file.content)
    files.push(path)
  }
  return { report, files }
}

/**
 * Calls `onSignal` once, synchronously, at the first SIGINT, SIGTERM or SIGHUP, then lets the signal take its
 * course: Vitest's own listener exits the process; if there is none, the signal is raised again shortly after.
 * Returns a function that removes the listeners.
 */
export function onFirstSignal(onSignal: (signal: NodeJS.Signals) => void): () => void {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']
  let fired = false
  const listener = (signal: NodeJS.Signals): void => {
    remove()
    if (fired) return
    fired = true
    try {
      onSignal(signal)
    } finally {
      if (process.listenerCount(signal) === 0) setTimeout(() => process.kill(process.pid, signal), 200).unref()
    }
  }
  const remove = (): void => {
    for (const s of signals) process.off(s, listener)
  }
  for (const s of signals) process.on(s, listener)
  return remove
}
