/**
 * Stop-free frames of a chunk with their protein lengths, on bytes: the same walk as `stopFreeFrameMask`
 * (vanilla-rules.ts) that also counts each frame's codons, so that a sample's token counts come out of the one pass
 * that already decides which frames exist. Codons with a non-ACGT base vanish from V's translation, so a protein's
 * length is its frame's count of valid codons.
 */
import { BASE_CODE } from './vanilla-rules.ts'

const INVALID = 4
const FORWARD_STOP = new Uint8Array(64)
const REVERSE_STOP = new Uint8Array(64)
for (const stop of ['TAA', 'TAG', 'TGA']) {
  const [a, b, c] = stop.split('').map((ch) => 'ACGT'.indexOf(ch)) as [number, number, number]
  FORWARD_STOP[16 * a + 4 * b + c] = 1
  REVERSE_STOP[16 * (3 - c) + 4 * (3 - b) + (3 - a)] = 1
}

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
