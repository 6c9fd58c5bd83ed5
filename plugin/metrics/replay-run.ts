/**
 * Re-reads a kept run folder (`result.json`, both logs, `gpu-timeline.arrow`, the state file) and derives its
 * evidence again with today's code: how captured runs of the real tool are analysed without re-running them.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { RunResultSchema, type RunResult } from '../model/run-result.ts'
import type { GpuSample } from './gpu-sample.ts'
import { readTimelineArrow } from './gpu-timeline-arrow.ts'
import { LogParser, type LogSummary } from './log-parser.ts'
import { parsePipelineState } from './pipeline-state.ts'
import { withRunEvidence } from './run-evidence.ts'

async function text(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8')
  } catch {
    return null
  }
}

export interface ReplayedRun {
  run: RunResult
  log: LogSummary
  samples: GpuSample[] | null
}

export async function replayRunFolder(runDir: string): Promise<ReplayedRun> {
  const raw = await text(join(runDir, 'result.json'))
  if (raw === null) throw new Error(`${runDir}: no result.json`)
  const stored = RunResultSchema.parse(JSON.parse(raw))
  const parser = new LogParser()
  for (const name of ['stdout.log', 'stderr.log']) {
    const body = await text(join(runDir, name))
    if (body !== null) parser.pushText(body)
  }
  const log = parser.summary()
  let samples: GpuSample[] | null = null
  try {
    samples = await readTimelineArrow(join(runDir, 'gpu-timeline.arrow'))
  } catch {
    samples = null
  }
  const stateText = await text(join(runDir, 'out', '.checkpoints', 'pipeline_state.json'))
  const state = stateText === null ? null : parsePipelineState(stateText)
  // Findings the stored result already has are kept; those the evidence adds are appended once.
  const run = withRunEvidence(stored, { log, samples, stateConfig: state?.config ?? null })
  return { run, log, samples }
}
