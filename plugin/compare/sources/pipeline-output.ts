import { createReadStream } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { pathExists } from '../../io/files.ts'
import { createInterface } from 'node:readline'
import { readConsensusTable, readPredictionTable } from '../../io/tsv/predictions.ts'
import { contractLayoutForStem } from '../../pipeline/output-layout.ts'
import type { OutputLayout } from '../../pipeline/target.ts'
import { type EmbeddingSource, sliceSource } from './embedding-source.ts'
import { type OutputSet, OutputSetError } from './output-set.ts'
import { readRunConfig } from './pipeline-run-config.ts'
import { readPtBlock } from './pt-blocks.ts'
import type { TensorStage } from '../core/stages.ts'

async function listDir(p: string): Promise<string[]> {
  try {
    return await readdir(p)
  } catch {
    return []
  }
}

/** `output_12_DNABERT_S.pt` → 12; split files are 1-based and must be ordered numerically, not lexically. */
function splitIndex(name: string): number {
  const m = /^output_(\d+)/.exec(name)
  return m === null ? Number.MAX_SAFE_INTEGER : Number(m[1])
}

/** Block name → file, for the files of one stage matched by `pattern` (group 1 = the split's base name). */
function blockFiles(dir: string, names: readonly string[], pattern: RegExp): Map<string, string> {
  const found = names
    .map((n) => ({ n, m: pattern.exec(n) }))
    .filter((x): x is { n: string; m: RegExpExecArray } => x.m !== null)
    .sort((a, b) => splitIndex(a.n) - splitIndex(b.n))
  return new Map(found.map(({ n, m }) => [m[1] as string, join(dir, n)]))
}

function fileSource(stage: TensorStage, files: Map<string, string>, idKey: 'nucleotide' | 'proteins' | 'ids'): EmbeddingSource | null {
  if (files.size === 0) return null
  return {
    stage,
    derived: false,
    blocks: [...files.keys()],
    read(block) {
      const file = files.get(block)
      if (file === undefined) throw new Error(`no ${stage} file for split ${block}`)
      return readPtBlock(block, file, idKey)
    },
  }
}

/** ORF frames in a kept `STEM_protein.faa` (present with `-k`): the count the outputs must reach. */
async function countFastaRecords(path: string): Promise<number> {
  let n = 0
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity })
  for await (const line of lines) if (line.startsWith('>')) n++
  return n
}

/**
 * Where a pipeline output folder found on disk keeps its outputs: the contract layout (plugin/pipeline/output-layout.ts)
 * for the stem its folders carry (`reads_merged/` → `reads`). Throws when the folder is not a pipeline output.
 */
export async function findPipelineLayout(root: string): Promise<OutputLayout> {
  const entries = await listDir(root)
  if (entries.length === 0 && !(await pathExists(root))) throw new OutputSetError(root, 'output folder does not exist')
  const mergedDirs = entries.filter((e) => e.endsWith('_merged'))
  if (mergedDirs.length > 1) throw new OutputSetError(root, `several *_merged folders (${mergedDirs.join(', ')}); one run per folder`)
  const stemFromState = mergedDirs[0]?.slice(0, -'_merged'.length) ?? entries.find((e) => e.endsWith('_nucleotide'))?.slice(0, -'_nucleotide'.length) ?? null
  // The chunk length only names the chunked FASTA, which nothing here reads; the state file says the real one.
  const layout = contractLayoutForStem(root, stemFromState ?? '', 500)
  if (stemFromState === null && !(await pathExists(layout.stateFile))) {
    throw new OutputSetError(root, 'not a pipeline output folder (no *_merged folder and no .checkpoints/pipeline_state.json)')
  }
  return layout
}

/**
 * Ids of the records of a protein FASTA whose sequence is empty (the record line followed by no residue): frames
 * that `vanillaKeepsProtein` rejects, which only the optimised tool writes.
 */
async function emptyRecords(path: string): Promise<Set<string>> {
  const empty = new Set<string>()
  let id: string | null = null
  let residues = 0
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity })
  for await (const line of lines) {
    if (line.startsWith('>')) {
      if (id !== null && residues === 0) empty.add(id)
      id = line.slice(1).trim().split(/\s/)[0] ?? ''
      residues = 0
    } else residues += line.trim().length
  }
  if (id !== null && residues === 0) empty.add(id)
  return empty
}

/**
 * A pipeline output folder in the contract layout (§2): `STEM_merged/` always, `STEM_nucleotide/` and
 * `STEM_protein/` only with `-k`. Without them, DNABERT-S and ESM-2 are read as column slices of the merged rows.
 */
export async function openPipelineOutput(root: string): Promise<OutputSet> {
  const layout = await findPipelineLayout(root)
  const { stem, mergedDir, nucleotideDir: nucDir, proteinDir: protDir, stateFile: state } = layout
  const [mergedNames, nucNames, protNames] = await Promise.all([listDir(mergedDir), listDir(nucDir), listDir(protDir)])
  const merged = fileSource('merged', blockFiles(mergedDir, mergedNames, /^(output_\d+)(?:_DNABERT)?_merged\.pt$/), 'ids')
  const dnaFiles = fileSource('dnabert', blockFiles(nucDir, nucNames, /^(output_\d+)_DNABERT(?:_S)?\.pt$/), 'nucleotide')
  // Multi-GPU v2 writes the ESM file under the DNABERT name (contract §2, stage 6).
  const esmFiles = fileSource('esm', blockFiles(protDir, protNames, /^(output_\d+)_(?:ESM|DNABERT)\.pt$/), 'proteins')
  const dnabert = dnaFiles ?? (merged === null ? null : sliceSource(merged, 'dnabert'))
  const esm = esmFiles ?? (merged === null ? null : sliceSource(merged, 'esm'))
  const sources: Record<TensorStage, EmbeddingSource | null> = { dnabert, esm, merged }
  const { predictions: predictionsPath, consensus: consensusPath, proteinFasta: faa } = layout
  const missing: string[] = []
  if (merged === null) missing.push(`merged embeddings (${stem}_merged/output_*_merged.pt)`)
  if (!(await pathExists(predictionsPath))) missing.push(relative(root, predictionsPath))
  if (!(await pathExists(consensusPath))) missing.push(relative(root, consensusPath))
  const expectedOrfs = (await pathExists(faa)) ? await countFastaRecords(faa) : null
  return {
    kind: 'pipeline',
    root,
    config: await readRunConfig(state),
    expectedOrfs,
    missing,
    emptyProteinFrames: async () => ((await pathExists(faa)) ? emptyRecords(faa) : new Set<string>()),
    provenance: null,
    embeddings: (stage) => sources[stage],
    predictions: async () => ((await pathExists(predictionsPath)) ? readPredictionTable(predictionsPath) : null),
    consensus: async () => ((await pathExists(consensusPath)) ? readConsensusTable(consensusPath) : null),
    // Every .pt is opened and closed per block, so nothing stays open.
    close: async () => undefined,
  }
}
