/**
 * The work a sample gives each stage of a given target, in the units the cost model charges for: input records,
 * bases, frames, and for the embedding stages padded model FLOPs (tokens and attention ∝ Σℓ² as the target batches
 * them) and batches. Pure: no I/O.
 */
import type { RunResult } from '../model/run-result.ts'
import type { Stage } from '../model/stages.ts'
import type { LengthCounts, WorkProfile } from '../model/work-profile.ts'
import { batchWork, describePolicy, tokenCounts, type BatchPolicy, type BatchWork } from './batch-plan.ts'
import { matmulParameters, tokensPerSequence, type TransformerShape, type Tokenizer } from './flops.ts'
import { embeddingShapes } from './run-efficiency.ts'

/** The stages a run's wall time is split into: the pipeline's nine, and what lies outside them (imports, start-up, exit). */
export type CostStage = Stage | 'START_UP'

export const EMBEDDING_COST_STAGES = ['NUCLEOTIDE_FEATURES', 'PROTEIN_FEATURES'] as const
export type EmbeddingStage = (typeof EMBEDDING_COST_STAGES)[number]

/** What a sample is, as far as cost goes. Token distributions are per embedding stage, already through the tokeniser. */
export interface SampleWork {
  name: string
  inputRecords: number
  bases: number
  chunks: number
  frames: number
  tokens: Record<EmbeddingStage, LengthCounts>
  /** What had to be assumed (empty when everything came from the vanilla rules on the sample itself). */
  assumptions: string[]
}

export interface EmbeddingModel {
  tokenizer: Tokenizer
  policy: BatchPolicy
  shape: TransformerShape
}

/** How a target turns frames into GPU work. */
export interface TargetModel {
  description: string
  /**
   * Processes six-frame translation is spread over, and from how many chunks: the reference pipeline's optimised mode
   * uses a pool of `-t` (default: the machine's CPU count) processes from 20,000 chunks on (pipeline.py
   * `translation`), serial below. Without it a sweep of small samples (all serial) charges a large sample 16× its time.
   */
  translation: { processes: number; fromChunks: number }
  NUCLEOTIDE_FEATURES: EmbeddingModel
  PROTEIN_FEATURES: EmbeddingModel
}

function flagValue(command: readonly string[], flag: string): string | undefined {
  const at = command.indexOf(flag)
  return at >= 0 ? command[at + 1] : undefined
}

/** The chunk length a run used (`-m`; 500, the pipeline's default, when the command does not say). */
export function runChunkLength(run: Pick<RunResult, 'command'>): number {
  const value = Number(flagValue(run.command, '-m'))
  return Number.isInteger(value) && value > 0 ? value : 500
}

/**
 * The target's batching as its run was configured: the reference pipeline's token budgets (cli.py: ESM-2 16,384 on
 * CUDA, 4,096 on CPU, DNABERT 4× that, or `--batch-tokens`), vanilla mode's per-sequence DNABERT and fair-esm 2048; the
 * real tool's v2 ESM-2 packing into 16,384 tokens and DNABERT batches of 256 (contract §3 and §1).
 */
export function targetModel(run: Pick<RunResult, 'target' | 'mode' | 'device' | 'command'> & { environment?: { cpuCount: number } | undefined }): TargetModel {
  const modelSize = flagValue(run.command, '--model-size') === 'tiny' ? 'tiny' : flagValue(run.command, '--model-size') === 'full' ? 'full' : run.device === 'cuda' ? 'full' : 'tiny'
  const shapes = embeddingShapes(run.target, modelSize)
  const serial = { processes: 1, fromChunks: Number.POSITIVE_INFINITY }
  if (run.target.kind === 'virnucpro') {
    return {
      translation: serial,
      description: 'real VirNucPro v2: DNABERT-S batches of 256, ESM-2 packed into 16,384 tokens',
      NUCLEOTIDE_FEATURES: { tokenizer: 'dnabert-bpe', policy: { kind: 'fixed-count', sequences: 256 }, shape: shapes.NUCLEOTIDE_FEATURES },
      PROTEIN_FEATURES: { tokenizer: 'esm', policy: { kind: 'packed', budget: 16384 }, shape: shapes.PROTEIN_FEATURES },
    }
  }
  if (run.mode === 'vanilla') {
    return {
      translation: serial,
      description: `reference pipeline, vanilla mode (${modelSize} models)`,
      NUCLEOTIDE_FEATURES: { tokenizer: 'dnabert-reference', policy: { kind: 'per-sequence' }, shape: shapes.NUCLEOTIDE_FEATURES },
      PROTEIN_FEATURES: { tokenizer: 'esm', policy: { kind: 'shortest-first', budget: 2048 }, shape: shapes.PROTEIN_FEATURES },
    }
  }
  const esmBudget = Number(flagValue(run.command, '--batch-tokens') ?? (run.device === 'cuda' ? 16384 : 4096))
  const dnaBudget = Number(flagValue(run.command, '--dnabert-batch-tokens') ?? 4 * esmBudget)
  const processes = Number(flagValue(run.command, '-t') ?? flagValue(run.command, '--threads') ?? run.environment?.cpuCount ?? 1)
  return {
    translation: { processes: Number.isInteger(processes) && processes > 0 ? processes : 1, fromChunks: 20_000 },
    description: `reference pipeline, optimised mode (${modelSize} models, token budgets ESM-2 ${esmBudget}, DNABERT ${dnaBudget})`,
    NUCLEOTIDE_FEATURES: { tokenizer: 'dnabert-reference', policy: { kind: 'longest-first', budget: dnaBudget }, shape: shapes.NUCLEOTIDE_FEATURES },
    PROTEIN_FEATURES: { tokenizer: 'esm', policy: { kind: 'longest-first', budget: esmBudget }, shape: shapes.PROTEIN_FEATURES },
  }
}

/** Exact work from a described sample (manifest `work`, or describe-sample on the file). */
export function sampleWorkFromProfile(name: string, inputRecords: number, bases: number, profile: WorkProfile, target: TargetModel): SampleWork {
  return {
    name,
    inputRecords,
    bases,
    chunks: profile.chunks,
    frames: profile.orfFrames,
    tokens: {
      NUCLEOTIDE_FEATURES: tokenCounts(profile.nucleotideLengths, (n) => tokensPerSequence(target.NUCLEOTIDE_FEATURES.tokenizer, n)),
      PROTEIN_FEATURES: tokenCounts(profile.proteinLengths, (n) => tokensPerSequence(target.PROTEIN_FEATURES.tokenizer, n)),
    },
    assumptions: [],
  }
}

/** One token count for every frame: what is left when only totals or a mean length are known. */
export function uniformTokens(frames: number, tokensPerFrame: number): LengthCounts {
  return frames > 0 ? [[Math.max(1, Math.round(tokensPerFrame)), frames]] : []
}

export interface StageWork {
  fixed: number
  records: number
  flops: number
  batches: number
}

export interface EmbeddingWork extends BatchWork {
  /** Padded model FLOPs: 2·params·(padded tokens) + 4·L·d·(padded Σℓ²). */
  flops: number
  policy: string
}

export function embeddingWork(tokens: LengthCounts, model: EmbeddingModel): EmbeddingWork {
  const work = batchWork(tokens, model.policy)
  const flops = 2 * matmulParameters(model.shape) * work.paddedTokens + 4 * model.shape.layers * model.shape.hidden * work.paddedSquaredTokens
  return { ...work, flops, policy: describePolicy(model.policy) }
}

/**
 * Per-stage work of a sample. `records` is the unit each stage's time follows: input records for the start-up,
 * bases for chunking and translation (they walk every base; translation's divided over its process pool where the
 * target uses one), frames for the rest.
 */
export function stageWork(sample: SampleWork, target: TargetModel): Record<CostStage, StageWork> {
  const plain = (records: number): StageWork => ({ fixed: 1, records, flops: 0, batches: 0 })
  const embedding = (stage: EmbeddingStage): StageWork => {
    const work = embeddingWork(sample.tokens[stage], target[stage])
    return { fixed: 1, records: work.sequences, flops: work.flops, batches: work.batches }
  }
  return {
    START_UP: plain(sample.inputRecords),
    CHUNKING: plain(sample.bases),
    TRANSLATION: plain(sample.chunks >= target.translation.fromChunks ? sample.bases / target.translation.processes : sample.bases),
    NUCLEOTIDE_SPLITTING: plain(sample.frames),
    PROTEIN_SPLITTING: plain(sample.frames),
    NUCLEOTIDE_FEATURES: embedding('NUCLEOTIDE_FEATURES'),
    PROTEIN_FEATURES: embedding('PROTEIN_FEATURES'),
    FEATURE_MERGING: plain(sample.frames),
    PREDICTION: plain(sample.frames),
    CONSENSUS: plain(sample.frames),
  }
}
