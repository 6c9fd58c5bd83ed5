/**
 * The vanilla VirNucPro CPU rules that decide how much work reaches the GPUs: chunking (V:`units.py`
 * `split_fasta_chunk`, including its short-last-chunk bug) and six-frame translation with stop-free frame selection
 * (V:`units.py` `identify_seq` in prediction mode). Spec: shared/reference/vanilla-pipeline.md §1–2.
 */

export interface ChunkSpan {
  /** 0-based start in the record. */
  readonly start: number
  /** Length after Python's slice clipping; can be < chunk size (L ≤ c, or the last-chunk bug). */
  readonly length: number
}

function assertChunkSize(chunkSize: number): void {
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) {
    throw new RangeError(`chunk size must be a positive integer, got ${chunkSize}`)
  }
}

/**
 * Chunk spans exactly as V computes them. Length 0 gives no chunks: V raises ZeroDivisionError there and B's
 * behaviour is not specified, so callers that need the skip rule use {@link chunkSpansForInput}.
 */
export function chunkSpans(length: number, chunkSize: number): ChunkSpan[] {
  assertChunkSize(chunkSize)
  if (length <= 0) return []
  const n = Math.floor((length + chunkSize - 1) / chunkSize)
  const total = n * chunkSize - length
  // Python's int(R / n); operands are small integers so the float quotient floors exactly.
  const lower = Math.floor(total / n)
  const upper = lower + 1
  const need = total - lower * (n - 1)
  const spans: ChunkSpan[] = []
  let stepSum = 0
  for (let k = 0; k < n; k++) {
    const start = k * chunkSize - stepSum
    spans.push({ start, length: Math.min(chunkSize, length - start) })
    // steps = [upper]*need + [lower]*(n-1-need) + [0]; Python's negative repeat count gives [].
    stepSum += k < need ? upper : lower
  }
  return spans
}

/** B's shortcut: when every sequence is ≤ c, each record becomes one `_chunk_1` (contract §2.1). */
export function shouldSkipChunking(maxLength: number, chunkSize: number): boolean {
  return maxLength <= chunkSize
}

/**
 * Spans for one record of an input whose longest record is `maxLength`. Only differs from {@link chunkSpans} for an
 * empty record, which the skip path copies as one empty chunk.
 */
export function chunkSpansForInput(length: number, maxLength: number, chunkSize: number): ChunkSpan[] {
  if (shouldSkipChunking(maxLength, chunkSize)) return [{ start: 0, length }]
  return chunkSpans(length, chunkSize)
}

/** `{record.id}_chunk_{k}`, k 1-based. */
export function chunkId(recordId: string, index0: number): string {
  return `${recordId}_chunk_${index0 + 1}`
}

const BASES = 'TCAG'
const AMINO = 'FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG'

/** The 64-entry standard code; upper-case ACGT only, stops as `*`, no `X` (vanilla §2). */
export const CODON_TABLE: ReadonlyMap<string, string> = (() => {
  const table = new Map<string, string>()
  let i = 0
  for (const a of BASES) for (const b of BASES) for (const c of BASES) table.set(a + b + c, AMINO.charAt(i++))
  return table
})()

export const STOP_CODONS: readonly string[] = ['TAA', 'TAG', 'TGA']

/** Python's `''.join(table.get(seq[i:i+3], '') for i in range(f, len(seq)-2, 3))`: unknown codons vanish. */
export function translateFrame(seq: string, frame: number): string {
  let protein = ''
  for (let i = frame; i < seq.length - 2; i += 3) protein += CODON_TABLE.get(seq.slice(i, i + 3)) ?? ''
  return protein
}

/** V's reverse complement: characters other than ACGTacgt are reversed but not complemented. */
export function reverseComplement(seq: string): string {
  const complement: Record<string, string> = { A: 'T', C: 'G', G: 'C', T: 'A', a: 't', c: 'g', g: 'c', t: 'a' }
  let out = ''
  for (let i = seq.length - 1; i >= 0; i--) {
    const ch = seq.charAt(i)
    out += complement[ch] ?? ch
  }
  return out
}

export const FRAME_LABELS = ['F1', 'F2', 'F3', 'R1', 'R2', 'R3'] as const
export type FrameLabel = (typeof FRAME_LABELS)[number]

export interface OrfFrame {
  readonly frame: FrameLabel
  /** `{chunkId}{frame}`, no separator, as V writes it. */
  readonly id: string
  readonly protein: string
  /** V's off-by-one slice: 3·len(protein)+1 bases, clipped at the end. */
  readonly nucleotide: string
}

/**
 * Whether prediction mode keeps a translated frame: `prediction.py` writes only proteins that are non-empty and free
 * of `*` (vanilla §2). The optimised tool keeps empty ones (reads that are almost all N; contract §8).
 */
export function vanillaKeepsProtein(protein: string): boolean {
  return protein !== '' && !protein.includes('*')
}

/**
 * The frames prediction mode keeps for one chunk, in F1..R3 order: protein non-empty and free of `*`.
 * The chunk is upper-cased first, as `prediction.py` does.
 */
export function identifyOrfs(id: string, chunk: string): OrfFrame[] {
  const forward = chunk.toUpperCase()
  const reverse = reverseComplement(forward)
  const kept: OrfFrame[] = []
  FRAME_LABELS.forEach((frame, index) => {
    const source = index < 3 ? forward : reverse
    const offset = index % 3
    const protein = translateFrame(source, offset)
    if (!vanillaKeepsProtein(protein)) return
    const nucleotide = source.slice(offset, offset + 3 * protein.length + 1)
    kept.push({ frame, id: `${id}${frame}`, protein, nucleotide })
  })
  return kept
}

/** The labels of the stop-free frames of one chunk (string path; the reference for the byte path below). */
export function stopFreeFrames(chunk: string): FrameLabel[] {
  return identifyOrfs('', chunk).map((orf) => orf.frame)
}

// Byte path: used on every generated base and on real samples, so it avoids strings and allocation.

const INVALID = 4
/** A/C/G/T (either case) to 0..3; anything else (N, IUPAC, U, gaps) to 4, which the codon table lacks. */
export const BASE_CODE: Uint8Array = (() => {
  const codes = new Uint8Array(256).fill(INVALID)
  'ACGT'.split('').forEach((base, code) => {
    codes[base.charCodeAt(0)] = code
    codes[base.toLowerCase().charCodeAt(0)] = code
  })
  return codes
})()

/** Codon index 16a+4b+c over ACGT codes: stop on the forward strand, and stop when read as a reverse complement. */
const FORWARD_STOP = new Uint8Array(64)
const REVERSE_STOP = new Uint8Array(64)
for (const stop of STOP_CODONS) {
  const [a, b, c] = stop.split('').map((ch) => 'ACGT'.indexOf(ch)) as [number, number, number]
  FORWARD_STOP[16 * a + 4 * b + c] = 1
  // Forward triple xyz reads as comp(z)comp(y)comp(x) on the reverse strand; comp(code) = 3 - code.
  REVERSE_STOP[16 * (3 - c) + 4 * (3 - b) + (3 - a)] = 1
}

/** Scratch lengths for callers that need only the mask (one chunk at a time: the walk is synchronous). */
const SCRATCH_RESIDUES = new Int32Array(6)

/**
 * Stop-free frame mask of `bytes[start, end)`: bit i set for frame FRAME_LABELS[i]. Equivalent to
 * {@link stopFreeFrames} on the same window (property-tested).
 */
export function stopFreeFrameMask(bytes: Uint8Array, start: number, end: number): number {
  return stopFreeFrameLengths(bytes, start, end, SCRATCH_RESIDUES)
}

/**
 * The walk that decides which frames exist, also counting each frame's codons, so that a sample's token counts come
 * out of the same pass. Codons with a non-ACGT base vanish from V's translation, so a protein's length is its frame's
 * count of valid codons.
 */
/**
 * Fills `residues[i]` with frame i's protein length (F1..R3; 0 when the frame is not kept) and returns the stop-free
 * frame mask of `bytes[start, end)`, bit i for frame i.
 */
export function stopFreeFrameLengths(bytes: Uint8Array, start: number, end: number, residues: Int32Array): number {
  let mask = 0
  for (let frame = 0; frame < 3; frame++) {
    let codons = 0
    let stopped = false
    for (let p = start + frame; p + 2 < end; p += 3) {
      const a = BASE_CODE[bytes[p]!]!
      const b = BASE_CODE[bytes[p + 1]!]!
      const c = BASE_CODE[bytes[p + 2]!]!
      if ((a | b | c) & INVALID) continue
      if (FORWARD_STOP[16 * a + 4 * b + c]) {
        stopped = true
        break
      }
      codons++
    }
    const kept = !stopped && codons > 0
    residues[frame] = kept ? codons : 0
    if (kept) mask |= 1 << frame
  }
  // Reverse frame f reads reverse-complement positions f, f+3, …; its codon j covers forward [end-3-f-3j, end-f-3j).
  for (let frame = 0; frame < 3; frame++) {
    let codons = 0
    let stopped = false
    for (let p = end - 3 - frame; p >= start; p -= 3) {
      const a = BASE_CODE[bytes[p]!]!
      const b = BASE_CODE[bytes[p + 1]!]!
      const c = BASE_CODE[bytes[p + 2]!]!
      if ((a | b | c) & INVALID) continue
      if (REVERSE_STOP[16 * a + 4 * b + c]) {
        stopped = true
        break
      }
      codons++
    }
    const kept = !stopped && codons > 0
    residues[frame + 3] = kept ? codons : 0
    if (kept) mask |= 1 << (frame + 3)
  }
  return mask
}

/** V's nucleotide slice for a kept frame: `source[offset : offset + 3·residues + 1]`, clipped at the chunk end. */
export function nucleotideFrameLength(chunkLength: number, frameIndex: number, residues: number): number {
  return Math.min(3 * residues + 1, chunkLength - (frameIndex % 3))
}

/** Number of set bits in a 6-bit frame mask. */
export function frameCount(mask: number): number {
  let count = 0
  for (let m = mask; m !== 0; m &= m - 1) count++
  return count
}

/** Positions of frame `frameIndex`'s codons in `[start, end)`, as forward start offsets; reverse frames run backwards. */
export function frameCodonStarts(start: number, end: number, frameIndex: number): number[] {
  const starts: number[] = []
  if (frameIndex < 3) {
    for (let p = start + frameIndex; p + 2 < end; p += 3) starts.push(p)
  } else {
    const frame = frameIndex - 3
    for (let p = end - 3 - frame; p >= start; p -= 3) starts.push(p)
  }
  return starts
}
