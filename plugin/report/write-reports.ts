/**
 * Writes one report: `<reportsDir>/<stamp>-<suite>.md|.json`, charts under `<reportsDir>/charts/<stamp>-<suite>/`,
 * and the stable `latest-<suite>.md|.json` (one per suite, so `npm test` does not overwrite what `vitest bench`
 * wrote). Every file is written atomically. Appends the markdown to
 * $GITHUB_STEP_SUMMARY when asked (final reports only, so a live rewrite does not append twice).
 */
import { appendFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { RunResult } from '../model/run-result.ts'
import { pathExists, writeFileAtomic } from '../io/files.ts'
import { planCharts } from './chart-plan.ts'
import type { TimelinePoint, RenderContext, ReportFormatter } from './formatter.ts'
import { JsonReport } from './json-report.ts'
import { loadTimeline } from './load-timeline.ts'
import { MarkdownReport, renderMarkdown } from './markdown-report.ts'
import { parseReport, type Report } from './schema.ts'
import { SvgCharts } from './svg-charts.ts'

export interface WriteReportsOptions {
  reportsDir: string
  /** File-name stamp shared by every rewrite in a session, e.g. "20261128-120000". */
  stamp: string
  /** GPU samples handed in directly, by run id; runs with an Arrow timeline file are read from it. */
  timelines?: ReadonlyMap<string, readonly TimelinePoint[]>
  /** Append the markdown to $GITHUB_STEP_SUMMARY (when set). */
  stepSummary?: boolean
  /**
   * Render the SVG charts (default true). Live rewrites after every case skip them: reading every run's Arrow
   * timeline again after each case grows with the suite and competes with the next case for the CPU (issue 16).
   */
  charts?: boolean
}

export interface WrittenReports {
  markdown: string
  json: string
  latestMarkdown: string
  latestJson: string
  charts: string[]
  /** Timelines that could not be read: the report is still written, without that chart. */
  problems: string[]
}

/** "2026-11-28T12:00:05.123Z" → "20261128-120005". */
export function stampFrom(isoDate: string): string {
  return isoDate.replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
}

/** `latest-bench.md`, `latest-test.md`, …: the newest report of each suite. */
export function latestNames(suite: string): { markdown: string; json: string } {
  return { markdown: `latest-${suite}.md`, json: `latest-${suite}.json` }
}

async function collectTimelines(runs: readonly RunResult[], given: ReadonlyMap<string, readonly TimelinePoint[]>, problems: string[]): Promise<Map<string, readonly TimelinePoint[]>> {
  const timelines = new Map(given)
  for (const run of runs) {
    if (timelines.has(run.id) || run.gpu.status !== 'sampled' || run.gpu.timelinePath === null) continue
    if (!(await pathExists(run.gpu.timelinePath))) continue
    try {
      timelines.set(run.id, await loadTimeline(run.gpu.timelinePath, run.startedAtMs))
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error))
    }
  }
  return timelines
}

export async function writeReports(report: Report, options: WriteReportsOptions): Promise<WrittenReports> {
  parseReport(report, 'report to write') // never write what the schema rejects
  const base = `${options.stamp}-${report.suite}`
  const problems: string[] = []
  const charts = options.charts ?? true
  const timelines = charts ? await collectTimelines(report.cases.flatMap((c) => c.runs), options.timelines ?? new Map(), problems) : new Map<string, readonly TimelinePoint[]>()
  const withSamples = new Set([...timelines.entries()].filter(([, s]) => s.length > 0).map(([id]) => id))
  const context: RenderContext = {
    charts: charts ? planCharts(report, `charts/${base}`, withSamples) : [],
    timelines,
    // Live rewrites skip the charts (their cost grows with every case); the report says when they come.
    ...(charts ? {} : { chartsOmitted: 'The charts are drawn when the suite ends; this report is rewritten after every case until then.' }),
  }
  const latest = latestNames(report.suite)
  const formatters: ReportFormatter[] = [...(charts ? [new SvgCharts()] : []), new MarkdownReport(`${base}.md`, latest.markdown), new JsonReport(`${base}.json`, latest.json)]
  const files = formatters.flatMap((f) => f.render(report, context))
  for (const file of files) await writeFileAtomic(join(options.reportsDir, file.path), file.content)
  const stepSummaryPath = process.env['GITHUB_STEP_SUMMARY']
  if (options.stepSummary && stepSummaryPath) await appendFile(stepSummaryPath, `${renderMarkdown(report, { charts: [], timelines, chartsOmitted: `${context.charts.length} chart(s) beside the report files (${join(options.reportsDir, latest.markdown)}); not embedded here.` })}\n`)
  return {
    markdown: join(options.reportsDir, `${base}.md`),
    json: join(options.reportsDir, `${base}.json`),
    latestMarkdown: join(options.reportsDir, latest.markdown),
    latestJson: join(options.reportsDir, latest.json),
    charts: files.filter((f) => f.path.endsWith('.svg')).map((f) => join(options.reportsDir, f.path)),
    problems,
  }
}
