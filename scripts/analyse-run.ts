/**
 * npx tsx scripts/analyse-run.ts OUTPUT_DIR [--stdout FILE] [--stderr FILE] [--log FILE] [--gpu-csv FILE] [--out DIR]
 *
 * The harness's report for a run it did not start: a VirNucPro output folder (state file, outputs; its logs and an
 * nvidia-smi CSV given or found beside it as OUTPUT_DIR.stdout / .stderr / .gpu.csv / .meta) or one of the
 * harness's own run folders (.runs/<run>/). Writes markdown + JSON (the report schema) to --out (default
 * reports/analysis). Exit 0: the run succeeded · 1: it failed · 2: the folder cannot be read or a bad command line.
 */
import { parseArgs } from 'node:util'
import { hostname } from 'node:os'
import { buildReport } from '../plugin/report/build-report.ts'
import { hostEnvironment } from '../plugin/report/host-environment.ts'
import { writeReports, stampFrom } from '../plugin/report/write-reports.ts'
import { DEFAULT_THRESHOLDS } from '../plugin/model/thresholds.ts'
import { analyseRun } from '../plugin/postrun/analyse-run.ts'
import { locateRun, readRunFolder, RunFolderError } from '../plugin/postrun/read-run-folder.ts'
import { consoleSummary } from '../plugin/report/console-summary.ts'
import { runScript, UsageError } from './cli-support.ts'

const USAGE = 'usage: analyse-run OUTPUT_DIR [--stdout FILE] [--stderr FILE] [--log FILE] [--gpu-csv FILE] [--out DIR]'

interface Command {
  folder: string
  stdout?: string
  stderr?: string
  log?: string
  gpuCsv?: string
  out: string
}

function parse(argv: string[]): Command {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { stdout: { type: 'string' }, stderr: { type: 'string' }, log: { type: 'string' }, 'gpu-csv': { type: 'string' }, out: { type: 'string' } },
  })
  if (positionals.length !== 1 || positionals[0] === undefined) throw new UsageError(positionals.length === 0 ? 'OUTPUT_DIR is missing' : `one OUTPUT_DIR, got ${positionals.length}`)
  return {
    folder: positionals[0],
    ...(values.stdout === undefined ? {} : { stdout: values.stdout }),
    ...(values.stderr === undefined ? {} : { stderr: values.stderr }),
    ...(values.log === undefined ? {} : { log: values.log }),
    ...(values['gpu-csv'] === undefined ? {} : { gpuCsv: values['gpu-csv'] }),
    out: values.out ?? 'reports/analysis',
  }
}

async function run(command: Command): Promise<void> {
  let facts
  try {
    facts = await readRunFolder(locateRun(command.folder, command))
  } catch (error) {
    if (error instanceof RunFolderError) {
      console.error(`analyse-run: cannot analyse ${command.folder}: ${error.message}`)
      process.exit(2)
    }
    throw error
  }
  const host = hostEnvironment()
  const environment = facts.harnessResult?.environment ?? { ...host, host: `not recorded (analysed on ${hostname()})`, cpuModel: 'not recorded', node: host.node }
  const analysed = analyseRun(facts, environment)
  const createdAt = new Date().toISOString()
  const report = buildReport({ suite: 'analysis', createdAt, complete: true, strict: false, environment, config: { analysed: command.folder }, thresholds: DEFAULT_THRESHOLDS, cases: [analysed.caseResult] })
  // A hand-captured nvidia-smi CSV has no Arrow file for the chart writer to read: its samples are handed in.
  const timelines = new Map(
    facts.sources.gpuArrow === null && facts.samples.length > 0
      ? [[analysed.run.id, facts.samples.flatMap((s) => (s.utilisationPct === null ? [] : [{ tMs: s.timestampMs - analysed.run.startedAtMs, gpu: s.gpu, utilisationPercent: s.utilisationPct, memoryUsedMiB: s.memoryUsedMiB }]))]]
      : [],
  )
  const written = await writeReports(report, { reportsDir: command.out, stamp: `${stampFrom(createdAt)}-${analysed.run.id.slice(0, 60)}`, timelines })
  for (const line of consoleSummary(report, written, null)) console.log(line)
  for (const problem of [...facts.problems, ...written.problems]) console.log(`⚠ ${problem}`)
  process.exitCode = analysed.run.outcome === 'succeeded' ? 0 : 1
}

runScript('analyse-run', USAGE, parse, run)
