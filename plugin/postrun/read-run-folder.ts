/**
 * Reads what a finished VirNucPro run left behind, for post-run analysis: a plain output folder (state file,
 * output files; logs and a GPU sample file given beside it), or one of the harness's own run folders
 * (`.runs/<run>/`: result.json, stdout.log, stderr.log, gpu-timeline.arrow, out/). The adapter at the edge: file I/O
 * here, the analysis itself is pure (analyse-run.ts).
 */
import { createReadStream, existsSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { listOutputFiles } from '../metrics/list-output.ts'
import { LogParser, type LogSummary } from '../metrics/log-parser.ts'
import type { GpuSample } from '../metrics/gpu-sample.ts'
import { readTimelineArrow } from '../metrics/gpu-timeline-arrow.ts'
import { NvidiaSmiParser } from '../metrics/nvidia-smi-parser.ts'
import { inventoryFromPaths } from '../metrics/output-inventory.ts'
import { parsePipelineState, type PipelineState } from '../metrics/pipeline-state.ts'
import { readErrorLines } from '../metrics/read-error-lines.ts'
import { contractStateFile } from '../pipeline/output-layout.ts'
import { RunResultSchema, type OutputInventory, type RunResult } from '../model/run-result.ts'
import type { TableFacts } from './output-checks.ts'

/** The folder cannot be analysed at all (missing, not a folder, nothing readable in it): exit status 2. */
export class RunFolderError extends Error {}

export interface RunFolderOptions {
  stdout?: string
  stderr?: string
  log?: string
  gpuCsv?: string
}

export interface RunSources {
  folder: string
  outputDir: string
  stdout: string | null
  stderr: string | null
  log: string | null
  gpuCsv: string | null
  gpuArrow: string | null
  meta: string | null
  /** Worker logs read because no stderr was given (with stderr they would be counted twice). */
  workerLogs: string[]
  harnessResult: string | null
}

/** `rc=0`, `wall_s=115.08`, `start_epoch=… end_epoch=…`, `command: …` (the capture's `.meta` files). */
export interface RunMeta {
  exitCode: number | null
  wallSeconds: number | null
  startMs: number | null
  endMs: number | null
  command: string | null
}

export interface RunFolderFacts {
  sources: RunSources
  state: PipelineState | null
  log: LogSummary | null
  /** `Found N sequences with valid ORFs` (chunks with at least one ORF: the consensus row count). */
  foundWithOrfs: number | null
  /** `Device: cuda` / `Using device: cuda…` in the log. */
  deviceHint: 'cpu' | 'cuda' | null
  errorLines: { stdout: string[]; stderr: string[] }
  inventory: OutputInventory
  predictions: TableFacts | null
  consensus: TableFacts | null
  samples: GpuSample[]
  meta: RunMeta | null
  harnessResult: RunResult | null
  /** What could not be read, in words: reported, never fatal once the folder itself is readable. */
  problems: string[]
  /** First and last log timestamps (local time, as the tool logs them). */
  logSpanMs: { first: number; last: number } | null
}

function file(path: string | undefined | null): string | null {
  return path !== undefined && path !== null && existsSync(path) && statSync(path).isFile() ? resolve(path) : null
}

function given(path: string | undefined, what: string): string | null {
  if (path === undefined) return null
  const found = file(path)
  if (found === null) throw new RunFolderError(`${what} ${path} does not exist or is not a file`)
  return found
}

export function locateRun(folder: string, options: RunFolderOptions = {}): RunSources {
  const dir = resolve(folder)
  if (!existsSync(dir)) throw new RunFolderError(`${folder} does not exist`)
  if (!statSync(dir).isDirectory()) throw new RunFolderError(`${folder} is not a folder`)
  const harness = file(join(dir, 'result.json'))
  const outputDir = harness !== null && existsSync(join(dir, 'out')) ? join(dir, 'out') : dir
  // A plain output folder may have its logs beside it, named after it (`RUN.stdout`, `RUN.gpu.csv`, `RUN.meta`).
  const beside = (suffix: string): string | null => file(`${dir}${suffix}`)
  const stdout = given(options.stdout, '--stdout') ?? (harness !== null ? file(join(dir, 'stdout.log')) : beside('.stdout'))
  const stderr = given(options.stderr, '--stderr') ?? (harness !== null ? file(join(dir, 'stderr.log')) : beside('.stderr'))
  const log = given(options.log, '--log')
  const gpuCsv = given(options.gpuCsv, '--gpu-csv')
  const gpuArrow = gpuCsv === null ? file(join(dir, 'gpu-timeline.arrow')) : null
  const csvBeside = gpuCsv ?? (gpuArrow === null ? beside('.gpu.csv') : null)
  return {
    folder: dir,
    outputDir,
    stdout,
    stderr,
    log,
    gpuCsv: csvBeside,
    gpuArrow,
    meta: beside('.meta'),
    workerLogs: [],
    harnessResult: harness,
  }
}

async function forEachLine(path: string, onLine: (line: string) => void): Promise<void> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity })
  for await (const line of lines) for (const part of line.split('\r')) onLine(part)
}

/** Rows, unique first-column IDs, and rows whose score columns are not finite. */
async function tableFacts(path: string, scoreColumns: readonly number[]): Promise<TableFacts> {
  const ids = new Set<string>()
  let rows = 0
  let nonFinite = 0
  let header = true
  await forEachLine(path, (line) => {
    if (line.trim() === '') return
    if (header) {
      header = false
      return
    }
    const cells = line.split('\t')
    rows++
    ids.add(cells[0] ?? '')
    if (scoreColumns.some((i) => cells[i] !== undefined && !Number.isFinite(Number(cells[i])))) nonFinite++
  })
  return { rows, uniqueIds: ids.size, nonFiniteScores: nonFinite }
}

export function parseMeta(text: string): RunMeta {
  const num = (re: RegExp): number | null => {
    const m = re.exec(text)?.[1]
    return m === undefined ? null : Number(m)
  }
  const start = num(/start_epoch=([\d.]+)/)
  const end = num(/end_epoch=([\d.]+)/)
  return {
    exitCode: num(/\brc=(\d+)/),
    wallSeconds: num(/wall_s=([\d.]+)/),
    startMs: start === null ? null : start * 1000,
    endMs: end === null ? null : end * 1000,
    command: /^command: (.*)$/m.exec(text)?.[1]?.trim() ?? null,
  }
}

function workerLogs(outputDir: string, paths: readonly string[]): string[] {
  return paths.filter((p) => /(^|\/)esm_v2\/logs\/worker_\d+\.log$/.test(p)).map((p) => join(outputDir, p))
}

export async function readRunFolder(sources: RunSources): Promise<RunFolderFacts> {
  const problems: string[] = []
  const paths = await listOutputFiles(sources.outputDir)
  const statePath = contractStateFile(sources.outputDir)
  const state = existsSync(statePath) ? parsePipelineState(await readFile(statePath, 'utf8')) : null
  if (existsSync(statePath) && state === null) problems.push(`${statePath} is not a readable pipeline state file`)
  const main = sources.stdout ?? sources.log
  const workers = sources.stderr === null ? workerLogs(sources.outputDir, paths) : []
  const logFiles = [main, sources.stderr, ...workers].filter((p): p is string => p !== null)
  if (state === null && logFiles.length === 0 && paths.length === 0) {
    throw new RunFolderError(`${sources.folder} holds no ${relative(sources.outputDir, statePath)}, no output files and no logs: nothing to analyse`)
  }
  let log: LogSummary | null = null
  let foundWithOrfs: number | null = null
  let deviceHint: 'cpu' | 'cuda' | null = null
  let first: number | null = null
  let last: number | null = null
  if (logFiles.length > 0) {
    const parser = new LogParser()
    for (const path of logFiles) {
      await forEachLine(path, (line) => {
        parser.pushLine(line)
        const found = /Found ([\d,]+) sequences with valid ORFs/.exec(line)?.[1]
        if (found !== undefined) foundWithOrfs = Number(found.replace(/,/g, ''))
        const device = /(?:Using device|Device): (cuda|cpu)/.exec(line)?.[1]
        if (device === 'cuda' || device === 'cpu') deviceHint ??= device
        if (path === main) {
          const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(line)
          if (m !== null) {
            const t = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])).getTime()
            first ??= t
            last = t
          }
        }
      })
    }
    log = parser.summary()
  }
  const predictionPath = paths.find((p) => p.endsWith('prediction_results.txt'))
  const consensusPath = paths.find((p) => p.endsWith('prediction_results_highestscore.csv'))
  const predictions = predictionPath === undefined ? null : await tableFacts(join(sources.outputDir, predictionPath), [2, 3])
  const consensus = consensusPath === undefined ? null : await tableFacts(join(sources.outputDir, consensusPath), [2, 3])
  let samples: GpuSample[] = []
  try {
    if (sources.gpuArrow !== null) samples = await readTimelineArrow(sources.gpuArrow)
    else if (sources.gpuCsv !== null) {
      const parser = new NvidiaSmiParser()
      samples = parser.parseText(await readFile(sources.gpuCsv, 'utf8'))
      if (samples.length === 0) problems.push(`${sources.gpuCsv}: no nvidia-smi samples could be read (${parser.rejected} lines rejected)`)
    }
  } catch (error) {
    problems.push(`GPU samples unreadable: ${error instanceof Error ? error.message : String(error)}`)
  }
  let harnessResult: RunResult | null = null
  if (sources.harnessResult !== null) {
    const parsed = RunResultSchema.safeParse(JSON.parse(await readFile(sources.harnessResult, 'utf8')))
    if (parsed.success) harnessResult = parsed.data
    else problems.push(`${sources.harnessResult} is not a valid result.json (${parsed.error.issues[0]?.message ?? 'invalid'}): analysed from the files alone`)
  }
  const meta = sources.meta === null ? null : parseMeta(await readFile(sources.meta, 'utf8'))
  return {
    sources: { ...sources, workerLogs: workers },
    state,
    log,
    foundWithOrfs,
    deviceHint,
    errorLines: { stdout: main === null ? [] : await readErrorLines(main), stderr: sources.stderr === null ? [] : await readErrorLines(sources.stderr) },
    inventory: inventoryFromPaths(paths),
    predictions,
    consensus,
    samples,
    meta,
    harnessResult,
    problems,
    logSpanMs: first !== null && last !== null ? { first, last } : null,
  }
}
