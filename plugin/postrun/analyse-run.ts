/**
 * Post-run analysis, pure: what a finished run left behind (read-run-folder.ts) → one RunResult and one case, so the
 * report is the harness's own (same schema, same sections). Every figure says where it came from: wall time from
 * the harness or a `.meta` file (measured outside the process) or else the pipeline's own total; the exit status
 * from the same places, or else inferred from the state file, the outputs and the logs.
 */
import { basename } from 'node:path'
import { diagnoseRun } from '../analysis/run-diagnosis.ts'
import { summariseTelemetry, type TimeWindow } from '../metrics/gpu-summary.ts'
import { logTimestampMs } from '../metrics/log-timestamp.ts'
import { runCounts, stageBreakdown } from '../metrics/stage-breakdown.ts'
import { classifyExit } from '../pipeline/exit-outcome.ts'
import type { CaseResult } from '../model/case-result.ts'
import type { Environment } from '../model/environment.ts'
import { LogFindingSchema, RunResultSchema, type RunOutcome, type RunResult, type StageTiming } from '../model/run-result.ts'
import type { GpuTelemetry } from '../model/telemetry.ts'
import { STAGES, type Stage } from '../model/stages.ts'
import { outputChecks } from './output-checks.ts'
import type { RunFolderFacts } from './read-run-folder.ts'
import type { StageStatus } from '../metrics/pipeline-state.ts'

export interface AnalysedRun {
  run: RunResult
  caseResult: CaseResult
  /** How the key figures were obtained, for the report's "Analysed run" section. */
  sources: Record<string, string>
}

function windows(stages: readonly StageTiming[], endMs: number): { stages: TimeWindow[]; embedding: TimeWindow | null } {
  const list = stages.filter((s) => s.startedAtMs !== null).map((s) => ({ name: s.stage, startMs: s.startedAtMs ?? 0, endMs: s.completedAtMs ?? endMs, sequences: s.recordsIn }))
  const dna = stages.find((s) => s.stage === 'NUCLEOTIDE_FEATURES')
  const esm = stages.find((s) => s.stage === 'PROTEIN_FEATURES')
  const embedding = dna?.startedAtMs != null && esm?.startedAtMs != null ? { name: 'embedding', startMs: dna.startedAtMs, endMs: esm.completedAtMs ?? endMs, sequences: esm.recordsIn ?? dna.recordsIn } : null
  return { stages: list, embedding }
}

/** The stage whose state-file window holds the line's log timestamp (both local time on the run's host). */
function stageAt(stages: readonly StageTiming[], line: string | null): Stage | null {
  const at = line === null ? null : logTimestampMs(line)
  if (at === null) return null
  // Log stamps have whole seconds (workers: ms); a stage window is widened by a second so its first line falls in.
  const hit = stages.find((s) => s.startedAtMs !== null && at >= s.startedAtMs - 1000 && at <= (s.completedAtMs ?? Number.POSITIVE_INFINITY) + 1000)
  return hit?.stage ?? null
}

function commandOf(f: RunFolderFacts): string[] {
  if (f.harnessResult !== null) return f.harnessResult.command
  return f.meta?.command?.split(/\s+/).filter((a) => a !== '' && a !== '(cwd') ?? []
}

function gpuCountOf(f: RunFolderFacts, command: readonly string[], device: 'cpu' | 'cuda'): number {
  if (f.harnessResult !== null) return f.harnessResult.gpuCount
  const gpus = command.indexOf('--gpus')
  if (gpus >= 0) return (command[gpus + 1] ?? '').split(',').filter((g) => g !== '').length
  const seen = new Set(f.samples.map((s) => s.gpu)).size
  return device === 'cuda' ? Math.max(1, seen) : 0
}

function stageStatuses(f: RunFolderFacts): Partial<Record<Stage, StageStatus>> | null {
  if (f.state === null) return null
  const out: Partial<Record<Stage, StageStatus>> = {}
  for (const stage of STAGES) {
    const s = f.state.stages[stage]
    if (s !== undefined) out[stage] = s.status
  }
  return out
}

/** Without a recorded exit status: succeeded only when every stage completed, the outputs exist and no error was logged. */
function inferredOutcome(f: RunFolderFacts, errorCodes: readonly string[]): { outcome: RunOutcome; description: string } {
  const statuses = stageStatuses(f)
  const allDone = statuses !== null && STAGES.every((s) => statuses[s] === 'completed')
  const outputs = f.predictions !== null && f.consensus !== null
  if (allDone && outputs && errorCodes.length === 0) return { outcome: 'succeeded', description: 'no exit status recorded; succeeded by the state file (all stages completed), the output files and the logs' }
  const why = [!allDone ? 'not every stage completed in the state file' : null, !outputs ? 'prediction files missing' : null, errorCodes.length > 0 ? `the log shows failures: ${errorCodes.join(', ')}` : null].filter((w) => w !== null)
  return { outcome: 'failed', description: `no exit status recorded; failed: ${why.join('; ')}` }
}

export function analyseRun(f: RunFolderFacts, environment: Environment): AnalysedRun {
  const h = f.harnessResult
  const counts = runCounts(f.log, f.state)
  const stages = stageBreakdown(f.state, f.log, counts)
  // The logs are read one file after another, so the parser's "current stage" is the last one; the first line's
  // timestamp against the state file's stage windows says where a finding belongs. Harness findings that are not
  // log lines (leftover processes) are kept from result.json.
  const parsed = (f.log?.findings ?? []).map((x) => LogFindingSchema.parse(x)).map((x) => ({ ...x, stage: stageAt(stages, x.firstLine) ?? x.stage }))
  const codes = new Set(parsed.map((x) => x.code))
  const findings = [...parsed, ...(h?.logFindings ?? []).filter((x) => !codes.has(x.code))]
  const errorCodes = findings.filter((x) => x.severity === 'error').map((x) => x.code)
  const command = commandOf(f)
  const device: 'cpu' | 'cuda' = h?.device ?? (f.samples.length > 0 || f.deviceHint === 'cuda' ? 'cuda' : 'cpu')
  const gpuCount = gpuCountOf(f, command, device)
  const stageTimes = stages.flatMap((s) => [s.startedAtMs, s.completedAtMs]).filter((t): t is number => t !== null)
  const startedAtMs = h?.startedAtMs ?? f.meta?.startMs ?? (stageTimes.length > 0 ? Math.min(...stageTimes) : (f.logSpanMs?.first ?? 0))
  const endedAtMs = h?.endedAtMs ?? f.meta?.endMs ?? (stageTimes.length > 0 ? Math.max(...stageTimes) : (f.logSpanMs?.last ?? startedAtMs))
  const pipelineWall = f.log?.pipelineWallSeconds ?? h?.pipelineWallSeconds ?? null
  const wall = h?.wallSeconds ?? f.meta?.wallSeconds ?? pipelineWall ?? (endedAtMs - startedAtMs) / 1000
  const wallSource =
    h !== null ? 'result.json (measured by the harness outside the process)' : f.meta?.wallSeconds != null ? '.meta file (measured outside the process)' : pipelineWall !== null ? "the pipeline's own Total wall time (excludes imports and start-up)" : 'the state file (first stage start to last stage end)'
  const exitCode = h?.exitCode ?? f.meta?.exitCode ?? null
  const checks = outputChecks({ inventory: f.inventory, predictions: f.predictions, consensus: f.consensus, expectedFrames: f.log?.counts.orfFrames ?? counts.orfFrames, expectedConsensus: f.foundWithOrfs, stageStatus: stageStatuses(f) })
  const failedChecks = checks.filter((c) => c.status === 'fail').map((c) => c.check)
  let exit =
    exitCode !== null || h !== null
      ? classifyExit({ exitCode, signal: h?.signal ?? null, stoppedBy: null, timeoutSeconds: 0, errorFindings: errorCodes, usageError: f.log?.usageError ?? false })
      : inferredOutcome(f, errorCodes)
  if (h !== null && h.outcome !== 'succeeded') exit = { outcome: h.outcome, description: h.outcomeDescription }
  if (exit.outcome === 'succeeded' && failedChecks.length > 0) exit = { outcome: 'partial', description: `${exit.description}, but output checks fail: ${failedChecks.join(', ')}` }
  const intervalMs = h?.gpu.status === 'sampled' ? h.gpu.intervalMs : f.samples.length > 1 ? Math.round(((f.samples.at(-1)?.timestampMs ?? 0) - (f.samples[0]?.timestampMs ?? 0)) / Math.max(1, f.samples.length - 1)) : 500
  const w = windows(stages, endedAtMs)
  const gpu: GpuTelemetry =
    f.samples.length === 0
      ? { status: 'unavailable', reason: h?.gpu.status === 'unavailable' ? h.gpu.reason : 'no GPU sample file given (--gpu-csv) or found' }
      : summariseTelemetry({
          samples: f.samples,
          run: { name: 'run', startMs: startedAtMs, endMs: endedAtMs, sequences: counts.orfFrames },
          stages: w.stages,
          embedding: w.embedding,
          assignedGpus: [],
          intervalMs,
          source: f.sources.gpuArrow !== null ? `gpu-timeline.arrow (${f.sources.gpuArrow})` : `nvidia-smi CSV (${f.sources.gpuCsv ?? ''})`,
          samplerCpuPercent: null,
          timelinePath: f.sources.gpuArrow,
        })
  const name = basename(f.sources.folder)
  const inputPath = command.find((a, i) => i > 0 && command[i - 1] === 'predict') ?? ''
  const sampleName = h?.sample.name ?? (inputPath === '' ? 'unknown input' : basename(inputPath).replace(/\.(fa|fasta|fq|fastq)(\.gz)?$/, ''))
  const reference = f.state?.config['pipeline'] === 'virnucpro_ref' || command.includes('virnucpro_ref')
  const run = RunResultSchema.parse({
    id: name,
    target: h?.target ?? { kind: reference ? 'reference' : 'virnucpro', name: reference ? 'virnucpro_ref' : 'VirNucPro', version: null },
    mode: h?.mode ?? (command.includes('--vanilla') ? 'vanilla' : 'optimised'),
    device,
    gpuCount,
    sample: { name: sampleName, path: h?.sample.path ?? inputPath, records: counts.inputRecords },
    command,
    runDir: f.sources.folder,
    outputDir: f.sources.outputDir,
    startedAtMs,
    endedAtMs,
    wallSeconds: wall,
    pipelineWallSeconds: pipelineWall,
    exitCode,
    signal: h?.signal ?? null,
    outcome: exit.outcome,
    outcomeDescription: exit.description,
    stages,
    counts,
    gpu,
    logFindings: findings,
    logs: { stdout: f.sources.stdout ?? f.sources.log ?? '(not given)', stderr: f.sources.stderr ?? (f.sources.workerLogs.join(', ') || '(not given)') },
    errorLines: f.errorLines,
    outputs: f.inventory,
    outputChecks: checks,
    environment,
    calibration: h?.calibration ?? null,
    efficiency: h?.efficiency ?? [],
  })
  const diagnosis = diagnoseRun(run)
  const sources: Record<string, string> = {
    folder: f.sources.folder,
    'output folder': f.sources.outputDir,
    'state file': f.state === null ? 'none' : '.checkpoints/pipeline_state.json',
    'main log': f.sources.stdout ?? f.sources.log ?? 'none',
    'worker log': f.sources.stderr ?? (f.sources.workerLogs.join(', ') || 'none'),
    'GPU samples': f.sources.gpuArrow ?? f.sources.gpuCsv ?? 'none',
    'wall time': wallSource,
    'exit status': h !== null ? 'result.json' : f.meta?.exitCode != null ? '.meta file' : 'not recorded (inferred)',
  }
  if (f.problems.length > 0) sources['problems'] = f.problems.join('; ')
  const caseResult: CaseResult = {
    id: `post-run--${name}`,
    title: `Post-run analysis of ${sampleName}`,
    file: f.sources.folder,
    kind: 'end-to-end',
    status: run.outcome === 'succeeded' ? 'ok' : 'error',
    error: run.outcome === 'succeeded' ? null : diagnosis.headline,
    skipReasons: [],
    sample: { name: sampleName, path: run.sample.path, records: counts.inputRecords, manifestPath: null, bases: null, lengths: null, provenance: null },
    params: { ...sources },
    runs: [run],
    comparisons: [],
    warnings: [],
    expectation: null,
    comparisonError: null,
    // A run the harness did not drive: no harness overhead, no repeat policy.
    overhead: null,
    repeatNotes: [],
    startedAtMs,
    endedAtMs,
  }
  return { run, caseResult, sources }
}
