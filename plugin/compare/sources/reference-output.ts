import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { parseConsensusTable, predictionRows } from '../../io/tsv/predictions.ts'
import { PredictionTable } from '../../io/tsv/tables.ts'
import { concatSource, type EmbeddingSource } from './embedding-source.ts'
import { type OutputSet, OutputSetError } from './output-set.ts'
import { EmbeddingArrowReader } from './reference-arrow.ts'
import { type ReferenceManifest, ReferenceManifestSchema } from './reference-manifest.ts'
import type { TensorStage } from '../core/stages.ts'

export const REFERENCE_FILES = {
  manifest: 'manifest.json',
  predictions: 'predictions.tsv',
  consensus: 'consensus.tsv',
  dnabert: 'dnabert.arrow',
  esm: 'esm.arrow',
} as const

export async function readReferenceManifest(root: string): Promise<ReferenceManifest> {
  const path = join(root, REFERENCE_FILES.manifest)
  let json: unknown
  try {
    json = JSON.parse(await readFile(path, 'utf8'))
  } catch (e) {
    throw new OutputSetError(root, `cannot read ${REFERENCE_FILES.manifest}: ${e instanceof Error ? e.message : String(e)}`)
  }
  const parsed = ReferenceManifestSchema.safeParse(json)
  if (!parsed.success) throw new OutputSetError(root, `invalid ${REFERENCE_FILES.manifest}: ${z.prettifyError(parsed.error)}`)
  return parsed.data
}

/** One reader per source, opened on first use and reused: a batch read is a positioned read of that batch only. */
function arrowSource(stage: 'dnabert' | 'esm', path: string, names: readonly string[]): EmbeddingSource & { close(): Promise<void> } {
  let reader: Promise<EmbeddingArrowReader> | null = null
  return {
    async close() {
      if (reader !== null) await (await reader).dispose()
      reader = null
    },
    stage,
    derived: false,
    blocks: names,
    async read(block) {
      const index = names.indexOf(block)
      if (index < 0) throw new Error(`${path}: no batch named ${block}`)
      reader ??= EmbeddingArrowReader.open(path)
      return (await reader).block(index, block)
    },
  }
}

/** A stored reference folder (manifest.json, predictions.tsv, consensus.tsv, dnabert.arrow, esm.arrow). */
export async function openReferenceOutput(root: string): Promise<OutputSet> {
  const m = await readReferenceManifest(root)
  const dnabert = arrowSource('dnabert', join(root, m.embeddings.dnabert.file), m.embeddings.dnabert.blocks.map((b) => b.name))
  const esm = arrowSource('esm', join(root, m.embeddings.esm.file), m.embeddings.esm.blocks.map((b) => b.name))
  const sources: Record<TensorStage, EmbeddingSource> = { dnabert, esm, merged: concatSource(dnabert, esm) }
  const text = async (name: string): Promise<string> => {
    try {
      return await readFile(join(root, name), 'utf8')
    } catch (e) {
      throw new OutputSetError(root, `cannot read ${name}: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
  return {
    kind: 'reference',
    root,
    config: { chunkLength: m.chunkLength, model: m.model },
    expectedOrfs: m.counts.orfFrames,
    // A stored reference holds what the vanilla rules kept: frames with an empty protein never reach it.
    emptyProteinFrames: async () => new Set<string>(),
    provenance: `stored reference: ${m.pipeline} ${m.version} in ${m.mode} mode (model ${m.model ?? 'unknown'}, chunk length ${m.chunkLength}${m.modelSize === null ? '' : `, ${m.modelSize} models`}), made ${m.createdAt} by \`${m.command.join(' ')}\``,
    missing: [],
    embeddings: (stage) => sources[stage],
    predictions: async () => PredictionTable.from(predictionRows(await text(REFERENCE_FILES.predictions), join(root, REFERENCE_FILES.predictions))),
    consensus: async () => parseConsensusTable(await text(REFERENCE_FILES.consensus), join(root, REFERENCE_FILES.consensus)),
    close: async () => {
      await dnabert.close()
      await esm.close()
    },
  }
}
