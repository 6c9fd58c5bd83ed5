/**
 * npx tsx scripts/aa-check.ts [--reports 5] [--bench benches/stage-throughput.bench.ts] [--ab="--inject slow:1.3"]
 *   [--out .runs/aa-check] [--reuse] [--interleaved]
 *
 * Does compare-reports cry wolf? Runs the bench file N times on this commit with default settings (N reports),
 * compares every pair (N = 5 gives 10 A/A comparisons), and, with --ab, one more report with the given pipeline
 * arguments on the candidate side (VIRNUCPRO_EXTRA_ARGS) compared against the last plain report (made just before
 * it, as a CI job would: base, then candidate), and for information against every other plain report. Prints one row per
 * comparison and writes <out>/aa-check.json. Exit 0 when every A/A comparison exits 0 (and the A/B one exits 1);
 * 1 otherwise. --reuse compares the reports already in <out> without running anything.
 * --interleaved: N + 1 pairs of sessions made alternately (A, B, A, B …), and N comparisons, each of two consecutive
 * A sessions pooled against the two B sessions made between and after them (compare-reports --base --base --new --new):
 * the way to compare on a host whose speed drifts between sessions.
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { execa } from 'execa'
import { fixed } from '../plugin/analysis/format-numbers.ts'
import { compareReports, type ReportComparison } from '../plugin/report/compare-reports.ts'
import { poolReports } from '../plugin/report/pool-reports.ts'
import { parseReport, type Report } from '../plugin/report/schema.ts'

const ROOT = resolve(import.meta.dirname, '..')

interface Options {
  reports: number
  bench: string
  ab: string | null
  out: string
  reuse: boolean
  interleaved: boolean
}

function parse(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      reports: { type: 'string', default: '5' },
      bench: { type: 'string', default: 'benches/stage-throughput.bench.ts' },
      ab: { type: 'string' },
      out: { type: 'string', default: '.runs/aa-check' },
      reuse: { type: 'boolean', default: false },
      interleaved: { type: 'boolean', default: false },
    },
  })
  const reports = Number(values.reports)
  if (!Number.isInteger(reports) || reports < 2) throw new Error(`--reports needs an integer ≥ 2, got "${values.reports}"`)
  return { reports, bench: values.bench, ab: values.ab ?? null, out: resolve(ROOT, values.out), reuse: values.reuse, interleaved: values.interleaved }
}

/** One `vitest bench --run` of the bench file; its latest.json is kept as `<out>/<name>.json`. */
async function benchReport(options: Options, name: string, extraArgs: string | null): Promise<{ path: string; seconds: number }> {
  const started = performance.now()
  const env: Record<string, string> = { BENCH_PROGRESS: 'off' }
  if (extraArgs !== null) env['VIRNUCPRO_EXTRA_ARGS'] = extraArgs
  const run = await execa('node', ['node_modules/vitest/vitest.mjs', 'bench', '--run', options.bench], { cwd: ROOT, env, reject: false, all: true })
  const seconds = (performance.now() - started) / 1000
  await writeFile(join(options.out, `${name}.log`), run.all ?? '')
  if (run.exitCode !== 0) throw new Error(`vitest bench for ${name} exited ${run.exitCode}; see ${join(options.out, `${name}.log`)}`)
  // The bench's own stamped report, not latest.json: another vitest process in this checkout may rewrite that.
  const written = /json:\s+(\S+\.json)/.exec(run.all ?? '')?.[1]
  if (written === undefined) throw new Error(`vitest bench for ${name} printed no report path; see ${join(options.out, `${name}.log`)}`)
  const path = join(options.out, `${name}.json`)
  await copyFile(resolve(ROOT, written), path)
  return { path, seconds }
}

async function load(path: string): Promise<Report> {
  return parseReport(JSON.parse(await readFile(path, 'utf8')), path)
}

interface Row {
  pair: string
  exitCode: number
  regressions: number
  totals: string
}

function row(pair: string, c: ReportComparison): Row {
  const totals = c.rows
    .filter((r) => r.metric === 'total wall time (s)')
    .map((r) => `${fixed(r.base)} → ${fixed(r.next)} s (${r.change}; ${r.verdict}; ${r.significance})`)
    .join(' / ')
  return { pair, exitCode: c.exitCode, regressions: c.regressions, totals: totals || c.inputProblems.join('; ') }
}

/** --interleaved: sessions A1 B1 A2 B2 …; comparison i pools A_i, A_{i+1} against B_i, B_{i+1}. */
async function interleaved(options: Options): Promise<number> {
  const pairs = options.reports + 1
  const names = Array.from({ length: pairs }, (_, i) => [`a-${i + 1}`, `b-${i + 1}`] as const)
  if (!options.reuse) {
    for (const pair of names) {
      for (const name of pair) {
        process.stdout.write(`running ${options.bench} → ${name} … `)
        process.stdout.write(`${fixed((await benchReport(options, name, null)).seconds, 1)} s\n`)
      }
    }
  }
  const reports = await Promise.all(names.map(async ([a, b]) => [await load(join(options.out, `${a}.json`)), await load(join(options.out, `${b}.json`))] as const))
  const rows: Row[] = []
  for (let i = 0; i + 1 < reports.length; i++) {
    const base = poolReports([reports[i]![0], reports[i + 1]![0]])
    const next = poolReports([reports[i]![1], reports[i + 1]![1]])
    rows.push(row(`a-${i + 1}+a-${i + 2} vs b-${i + 1}+b-${i + 2}`, compareReports(base, next)))
  }
  for (const r of rows) process.stdout.write(`${r.pair}: exit ${r.exitCode}, ${r.regressions} regression(s) · ${r.totals}\n`)
  const falseAlarms = rows.filter((r) => r.exitCode !== 0).length
  process.stdout.write(`\ninterleaved A/A: ${rows.length} pooled comparisons, ${rows.reduce((t, r) => t + r.regressions, 0)} regression(s), ${falseAlarms} with exit ≠ 0\n`)
  await writeFile(join(options.out, 'aa-check.json'), `${JSON.stringify({ bench: options.bench, interleaved: true, pairs, aa: rows }, null, 2)}\n`)
  return falseAlarms === 0 ? 0 : 1
}

async function main(): Promise<number> {
  const options = parse(process.argv.slice(2))
  await mkdir(options.out, { recursive: true })
  if (options.interleaved) return interleaved(options)
  const names = Array.from({ length: options.reports }, (_, i) => `aa-${i + 1}`)
  const seconds: Record<string, number> = {}
  if (!options.reuse) {
    for (const name of names) {
      process.stdout.write(`running ${options.bench} → ${name} … `)
      const made = await benchReport(options, name, null)
      seconds[name] = made.seconds
      process.stdout.write(`${fixed(made.seconds, 1)} s\n`)
    }
    if (options.ab !== null) {
      process.stdout.write(`running ${options.bench} with VIRNUCPRO_EXTRA_ARGS="${options.ab}" → ab … `)
      const made = await benchReport(options, 'ab', options.ab)
      seconds['ab'] = made.seconds
      process.stdout.write(`${fixed(made.seconds, 1)} s\n`)
    }
  }
  const reports = await Promise.all(names.map((n) => load(join(options.out, `${n}.json`))))
  const aa: Row[] = []
  for (let i = 0; i < reports.length; i++) {
    for (let j = i + 1; j < reports.length; j++) aa.push(row(`${names[i]} vs ${names[j]}`, compareReports(reports[i] as Report, reports[j] as Report)))
  }
  const candidate = options.ab === null ? null : await load(join(options.out, 'ab.json'))
  const abAll = candidate === null ? [] : reports.map((base, i) => row(`${names[i]} vs ab (${options.ab})`, compareReports(base, candidate)))
  const ab = abAll.at(-1) ?? null
  for (const r of [...aa, ...abAll]) process.stdout.write(`${r.pair}: exit ${r.exitCode}, ${r.regressions} regression(s) · ${r.totals}\n`)
  const falseAlarms = aa.filter((r) => r.exitCode !== 0).length
  const detected = ab === null ? null : ab.exitCode === 1
  process.stdout.write(`\nA/A: ${aa.length} comparisons, ${aa.reduce((t, r) => t + r.regressions, 0)} regression(s), ${falseAlarms} with exit ≠ 0`)
  process.stdout.write(ab === null ? '\n' : ` · A/B against the last plain report: exit ${ab.exitCode} (${detected ? 'regression detected' : 'NOT detected'}); against each plain report: detected ${abAll.filter((r) => r.exitCode === 1).length} of ${abAll.length}\n`)
  await writeFile(join(options.out, 'aa-check.json'), `${JSON.stringify({ bench: options.bench, reports: options.reports, secondsPerReport: seconds, aa, ab, abAgainstEach: abAll }, null, 2)}\n`)
  return falseAlarms === 0 && detected !== false ? 0 : 1
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`aa-check: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 2
  },
)
