import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { OutputSet } from './output-set.ts'
import { openPipelineOutput } from './pipeline-output.ts'
import { openReferenceOutput, REFERENCE_FILES } from './reference-output.ts'

/** A folder with a reference manifest is a stored reference; anything else is read as a pipeline output folder. */
export async function openOutputSet(root: string): Promise<OutputSet> {
  const isReference = await stat(join(root, REFERENCE_FILES.manifest)).then(
    (s) => s.isFile(),
    () => false,
  )
  return isReference ? openReferenceOutput(root) : openPipelineOutput(root)
}
