import { readFile } from 'node:fs/promises'
import { parsePipelineState } from '../../metrics/pipeline-state.ts'
import type { RunConfig } from '../core/run-config.ts'

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null
}

/** Chunk length and model from a pipeline output folder's state file (contract §3.2); nulls when it is absent. */
export async function readRunConfig(statePath: string): Promise<RunConfig> {
  let raw: string
  try {
    raw = await readFile(statePath, 'utf8')
  } catch {
    return { chunkLength: null, model: null }
  }
  const state = parsePipelineState(raw)
  if (state === null) throw new Error(`${statePath}: not a readable pipeline_state.json`)
  const length = state.config.expected_length
  const model = text(state.config.model_path)
  const size = text(state.config.model_size)
  return {
    chunkLength: typeof length === 'number' && Number.isInteger(length) && length > 0 ? length : null,
    // The reference pipeline can run one weight file at several sizes; the size is part of the model's identity.
    model: model === null ? size : size === null ? model : `${model}#${size}`,
  }
}
