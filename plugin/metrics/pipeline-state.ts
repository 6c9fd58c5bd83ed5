/**
 * `OUT/.checkpoints/pipeline_state.json` (contract §3.2): the authoritative per-stage timing source. Pure parsing;
 * timestamps are naive UTC (`datetime.utcnow().isoformat()`) and become epoch milliseconds here.
 */
import { z } from 'zod'
import { STAGES, type Stage } from '../model/stages.ts'

const StageEntrySchema = z
  .object({
    status: z.string().default('not_started'),
    started_at: z.string().nullish(),
    completed_at: z.string().nullish(),
    duration_seconds: z.number().nullish(),
    inputs: z.record(z.string(), z.unknown()).nullish(),
    outputs: z.record(z.string(), z.unknown()).nullish(),
    error: z.unknown().nullish(),
  })
  .loose()

export const PipelineStateFileSchema = z
  .object({
    created_at: z.string().nullish(),
    updated_at: z.string().nullish(),
    pipeline_config: z.record(z.string(), z.unknown()).nullish(),
    stages: z.record(z.string(), StageEntrySchema).default({}),
  })
  .loose()

export type StageStatus = 'not_started' | 'in_progress' | 'completed' | 'failed'

export interface StateStage {
  stage: Stage
  status: StageStatus
  startedAtMs: number | null
  completedAtMs: number | null
  durationSeconds: number | null
  inputs: Record<string, unknown>
  outputs: Record<string, unknown>
}

export interface PipelineState {
  createdAtMs: number | null
  updatedAtMs: number | null
  config: Record<string, unknown>
  stages: Partial<Record<Stage, StateStage>>
}

/** Naive-UTC ISO text → epoch ms; a trailing zone, if a writer adds one, is respected. */
export function naiveUtcToMs(text: string | null | undefined): number | null {
  if (!text) return null
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(text)
  const ms = Date.parse(hasZone ? text : `${text}Z`)
  return Number.isNaN(ms) ? null : ms
}

function status(text: string): StageStatus {
  return text === 'in_progress' || text === 'completed' || text === 'failed' ? text : 'not_started'
}

/** Parsed state, or null when the text is not (yet) a complete state file: a poller just tries again. */
export function parsePipelineState(text: string): PipelineState | null {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return null
  }
  const parsed = PipelineStateFileSchema.safeParse(json)
  if (!parsed.success) return null
  const stages: Partial<Record<Stage, StateStage>> = {}
  for (const stage of STAGES) {
    const entry = parsed.data.stages[stage]
    if (entry === undefined) continue
    stages[stage] = {
      stage,
      status: status(entry.status),
      startedAtMs: naiveUtcToMs(entry.started_at),
      completedAtMs: naiveUtcToMs(entry.completed_at),
      durationSeconds: entry.duration_seconds ?? null,
      inputs: entry.inputs ?? {},
      outputs: entry.outputs ?? {},
    }
  }
  return {
    createdAtMs: naiveUtcToMs(parsed.data.created_at),
    updatedAtMs: naiveUtcToMs(parsed.data.updated_at),
    config: parsed.data.pipeline_config ?? {},
    stages,
  }
}

/** The stage the state file says is in progress, or null. */
export function currentStage(state: PipelineState | null): Stage | null {
  if (state === null) return null
  const running = STAGES.find((s) => state.stages[s]?.status === 'in_progress')
  return running ?? null
}
