import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { copyFile, mkdir, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { EmbeddingSource } from './embedding-source.ts'
import { pairedRows } from './embedding-source.ts'
import { OutputSetError } from './output-set.ts'
import { findPipelineLayout, openPipelineOutput } from './pipeline-output.ts'
import { EmbeddingArrowWriter } from './reference-arrow.ts'
import { type ReferenceManifest, ReferenceManifestSchema } from './reference-manifest.ts'
import { REFERENCE_FILES } from './reference-output.ts'

/** What the caller knows about the run that produced the folder; the rest is read from the folder itself. */
export interface ReferenceMeta {
  pipeline: string
  version: string
  mode: ReferenceManifest['mode']
  seed: number | null
  modelSize: string | null
  /** Fallback when the run's state file does not name a chunk length. */
  chunkLength: number
  command: string[]
  inputFile: string
}

/** sha256 and FASTA record count of the input, streamed. */
export async function describeInput(path: string): Promise<{ sha256: string; records: number }> {
  const hash = createHash('sha256')
  let records = 0
  let atLineStart = true
  for await (const chunk of createReadStream(path)) {
    const buf = chunk as Buffer
    hash.update(buf)
    for (let i = 0; i < buf.length; i++) {
      const c = buf[i]
      if (atLineStart && c === 0x3e) records++
      atLineStart = c === 0x0a
    }
  }
  return { sha256: hash.digest('hex'), records }
}

async function writeStage(source: EmbeddingSource, path: string, width: number): Promise<{ name: string; rows: number }[]> {
  const writer = new EmbeddingArrowWriter(path, width)
  const blocks: { name: string; rows: number }[] = []
  try {
    for (const name of source.blocks) {
      const b = await source.read(name)
      try {
        const n = pairedRows(b)
        if (b.width !== null && b.width !== width) throw new OutputSetError(path, `${b.file} has width ${b.width}, expected ${width}`)
        const ids: string[] = []
        const data = new Float32Array(n * width)
        for (let i = 0; i < n; i++) {
          ids.push(b.rowId(i))
          data.set(b.row(i), i * width)
        }
        writer.write(ids, data)
        blocks.push({ name, rows: n })
      } finally {
        b.close()
      }
    }
  } finally {
    await writer.close()
  }
  return blocks
}

/**
 * Stores a finished pipeline run as a reference folder: embeddings as Arrow (one record batch per split file,
 * merged not stored since it is their concatenation), predictions and consensus copied byte for byte.
 */
export async function writeReference(runDir: string, outDir: string, meta: ReferenceMeta): Promise<ReferenceManifest> {
  const run = await openPipelineOutput(runDir)
  if (run.missing.length > 0) throw new OutputSetError(runDir, `cannot store as a reference, outputs missing: ${run.missing.join(', ')}`)
  const dnabert = run.embeddings('dnabert')
  const esm = run.embeddings('esm')
  if (dnabert === null || esm === null) throw new OutputSetError(runDir, 'no DNABERT-S/ESM-2 embeddings found')
  const layout = await findPipelineLayout(runDir)
  const predictions = await run.predictions()
  const consensus = await run.consensus()
  if (predictions === null || consensus === null) throw new OutputSetError(runDir, 'predictions or consensus missing')
  await mkdir(outDir, { recursive: true })
  const dnaBlocks = await writeStage(dnabert, join(outDir, REFERENCE_FILES.dnabert), 768)
  const esmBlocks = await writeStage(esm, join(outDir, REFERENCE_FILES.esm), 2560)
  await copyFile(layout.predictions, join(outDir, REFERENCE_FILES.predictions))
  await copyFile(layout.consensus, join(outDir, REFERENCE_FILES.consensus))
  const input = await describeInput(meta.inputFile)
  const manifest = ReferenceManifestSchema.parse({
    format: 'virnucpro-reference/1',
    pipeline: meta.pipeline,
    version: meta.version,
    mode: meta.mode,
    seed: meta.seed,
    modelSize: meta.modelSize,
    model: run.config.model,
    chunkLength: run.config.chunkLength ?? meta.chunkLength,
    command: meta.command,
    createdAt: new Date().toISOString(),
    input: { file: basename(meta.inputFile), ...input },
    counts: { orfFrames: run.expectedOrfs ?? predictions.length, predictions: predictions.length, consensus: consensus.length },
    embeddings: {
      dnabert: { file: REFERENCE_FILES.dnabert, width: 768, blocks: dnaBlocks },
      esm: { file: REFERENCE_FILES.esm, width: 2560, blocks: esmBlocks },
    },
  } satisfies ReferenceManifest)
  await writeFile(join(outDir, REFERENCE_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`)
  return manifest
}
