import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { STAGES } from '../model/stages.ts'
import { matchFinding } from './log-findings.ts'
import { LogParser, parseExtras } from './log-parser.ts'
import { currentStage, naiveUtcToMs, parsePipelineState } from './pipeline-state.ts'
import { formatProgress, ProgressDisplay, PLAIN_HEARTBEAT_MS } from './progress-display.ts'
import { runCounts, stageBreakdown } from './stage-breakdown.ts'

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')

function parse(...files: string[]): LogParser {
  const parser = new LogParser()
  for (const f of files) parser.pushText(fixture(f))
  return parser
}

describe('log parser on the captured H200 runs', () => {
  it('reads stage brackets, extras, wall time and counts of the single-GPU run', () => {
    const s = parse('bench_single.stdout').summary()
    expect(Object.keys(s.stages)).toEqual([...STAGES])
    expect(s.stages.PROTEIN_FEATURES).toMatchObject({ completedSeconds: 68.7, skipped: false, extras: { files: 1, architecture: 'v1.0' } })
    expect(s.stages.TRANSLATION?.extras).toEqual({ sequences: 2000, sequences_with_orfs: 2000, seq_per_sec: 377.8 })
    expect(s.pipelineWallSeconds).toBe(109)
    expect(s.counts).toMatchObject({ inputRecords: 2000, chunks: 2000, orfFrames: 8077, predictions: 8077, consensus: 2000 })
    // `Loading ESM-2 model` 17:38:01 → `Model loaded` 17:38:27.
    expect(s.modelLoadSeconds.PROTEIN_FEATURES).toBe(26)
    expect(s.findings).toEqual([])
  })

  it('reads the --parallel run with worker stderr: throughput, tokens, and a warning but no failure', () => {
    const s = parse('bench_parallel.stdout', 'bench_parallel.stderr').summary()
    expect(s.pipelineWallSeconds).toBe(136.7)
    expect(s.counts.esmTokens).toBe(1340782)
    expect(s.throughput).toContainEqual({ stage: 'PROTEIN_FEATURES', label: 'ESM-2', seqPerSec: 160.9, tokPerSec: 27025 })
    expect(s.modelLoadSeconds.PROTEIN_FEATURES).toBeCloseTo(30.105, 3)
    expect(s.findings.filter((f) => f.severity === 'error')).toEqual([])
    expect(s.findings.map((f) => f.code)).toEqual(expect.arrayContaining(['packing-efficiency', 'flash-attention-fallback']))
    expect(s.findings.find((f) => f.code === 'flash-attention-fallback')?.message).toMatch(/\(×\d+\)$/)
  })

  it('parses extras, explicit model-load and throughput lines, and skipped stages', () => {
    expect(parseExtras('files: 80, architecture: v2.0')).toEqual({ files: 80, architecture: 'v2.0' })
    const p = new LogParser()
    p.pushLine('2026-01-01 00:00:00 - x - INFO - === Stage 6: ESM-2 Feature Extraction ===')
    p.pushLine('2026-01-01 00:00:01 - x - INFO - Model load: 3.5s (esm)')
    p.pushLine('2026-01-01 00:00:09 - x - INFO - ESM-2 throughput: 321.0 seq/s, 16,474 tok/s (batches 12)')
    p.pushLine('2026-01-01 00:00:10 - x - INFO -   Nucleotide File Splitting completed in 0.0s [skipped (checkpoint)]')
    const s = p.summary()
    expect(s.modelLoadSeconds.PROTEIN_FEATURES).toBe(3.5)
    expect(s.throughput).toEqual([{ stage: 'PROTEIN_FEATURES', label: 'ESM-2', seqPerSec: 321, tokPerSec: 16474 }])
    expect(s.stages.NUCLEOTIDE_SPLITTING?.skipped).toBe(true)
    expect(s.currentStage).toBe('PROTEIN_FEATURES')
  })

  it('classifies the contract §6 lines', () => {
    const codes = [
      'ValueError: Missing 10577 expected sequences',
      'Duplicate sequence ID found: x',
      'expected scalar type Float but found BFloat16',
      'Failed to process output_3.fa',
      'Sequence x not found in both datasets',
      'Sequence x not found in v2.0 ESM-2 output',
      'Skipping merge - output exists: y',
      'Skipping output_1_ESM.pt (.done marker)',
      'Using standard attention (FlashAttention-2 unavailable: no module)',
      'No ORFs found in input',
      'RuntimeError: CUDA out of memory. Tried to allocate',
      '2026 - x - ERROR - CRITICAL: Packing efficiency 79.0% < 80%',
      '2026 - x - ERROR - something went wrong but recovered',
    ].map((l) => matchFinding(l)?.code ?? null)
    expect(codes).toEqual([
      'missing-sequences', 'duplicate-sequence-id', 'dtype-mismatch', 'failed-to-process', 'merge-id-mismatch', 'v2-esm-missing-id',
      'stale-merge-reused', 'stale-done-marker', 'standard-attention', 'no-orfs', 'out-of-memory', 'packing-efficiency', null,
    ])
  })
})

describe('state file and stage breakdown', () => {
  it('converts naive-UTC stamps', () => {
    expect(naiveUtcToMs('2026-11-28T17:37:34.120342')).toBe(Date.UTC(2026, 10, 28, 17, 37, 34, 120))
    expect(naiveUtcToMs('2026-11-28T17:37:34+00:00')).toBe(Date.UTC(2026, 10, 28, 17, 37, 34))
    expect(naiveUtcToMs(null)).toBeNull()
  })

  it('tolerates partial and missing files', () => {
    expect(parsePipelineState('{"created_at": "2026-')).toBeNull()
    expect(parsePipelineState('')).toBeNull()
    expect(parsePipelineState('{"stages": {"CHUNKING": {"status": "in_progress", "started_at": "2026-01-01T00:00:00"}}}')?.stages.CHUNKING?.status).toBe('in_progress')
  })

  it('builds all nine stages from the captured state file, matching its durations', () => {
    const state = parsePipelineState(fixture('bench_single.pipeline_state.json'))
    const log = parse('bench_single.stdout').summary()
    const counts = runCounts(log, state)
    const stages = stageBreakdown(state, log, counts)
    expect(stages.map((s) => s.stage)).toEqual([...STAGES])
    expect(stages.every((s) => s.source === 'state-file' && s.status === 'completed')).toBe(true)
    expect(stages[4]?.durationSeconds).toBe(21.79952)
    expect(stages[5]).toMatchObject({ durationSeconds: 68.740634, recordsIn: 8077, modelLoadSeconds: 26 })
    expect(stages[0]).toMatchObject({ recordsIn: 2000, recordsOut: 2000 })
    expect(stages[8]).toMatchObject({ recordsIn: 8077, recordsOut: 2000 })
    expect(currentStage(state)).toBeNull()
  })

  it('falls back to log lines when there is no state file', () => {
    const log = parse('bench_single.stdout').summary()
    const stages = stageBreakdown(null, log, runCounts(log, null))
    expect(stages.every((s) => s.source === 'log')).toBe(true)
    expect(stages[5]?.durationSeconds).toBe(68.7)
    expect(stages[5]?.startedAtMs).not.toBeNull()
  })
})

describe('progress display', () => {
  it('formats one compact line', () => {
    expect(formatProgress('tiny optimised 2 GPU', { stage: 'NUCLEOTIDE_FEATURES', elapsedMs: 133_000, gpuUtilPct: 63.6, gpuMemGiB: 41.23 })).toBe(
      '[tiny optimised 2 GPU] stage 5/9 DNABERT-S Feature Extraction · 02:13 · GPU 64% 41.2 GiB',
    )
  })

  it('prints plain lines only on stage transitions and every 30 s', () => {
    const lines: string[] = []
    let now = 0
    const d = new ProgressDisplay('x', 'plain', (t) => lines.push(t), () => now)
    for (let i = 0; i < 100; i++) {
      now = i * 1000
      d.update({ stage: i < 50 ? 'CHUNKING' : 'TRANSLATION', elapsedMs: now, gpuUtilPct: null, gpuMemGiB: null })
    }
    // Start, heartbeats at 30 s, a transition at 50 s, heartbeat at 80 s.
    expect(lines).toHaveLength(4)
    expect(PLAIN_HEARTBEAT_MS).toBe(30_000)
  })
})
