import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import type { RunConfig } from './run-config.ts'

/** The part of `.checkpoints/pipeline_state.json` (contract §3.2) that identifies what a run computed. */
const PipelineStateSchema = z.object({
  pipeline_config: z
    .object({
      expected_length: z.number().int().positive().nullish(),
      model_path: z.string().nullish(),
      model_size: z.string().nullish(),
    })
    .loose()
    .nullish(),
}).loose()

/** Chunk length and model from a pipeline output folder's state file; nulls when the file is absent. */
export async function readRunConfig(statePath: string): Promise<RunConfig> {
  let text: string
  try {
    text = await readFile(statePath, 'utf8')
  } catch {
    return { chunkLength: null, model: null }
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    throw new Error(`${statePath}: not valid JSON (${e instanceof Error ? e.message : String(e)})`)
  }
  const parsed = PipelineStateSchema.safeParse(json)
  if (!parsed.success) throw new Error(`${statePath}: unexpected pipeline state: ${z.prettifyError(parsed.error)}`)
  const cfg = parsed.data.pipeline_config
  const model = cfg?.model_path ?? null
  const size = cfg?.model_size ?? null
  return {
    chunkLength: cfg?.expected_length ?? null,
    // The reference pipeline can run one weight file at several sizes; the size is part of the model's identity.
    model: model === null ? size : size === null ? model : `${model}#${size}`,
  }
}
