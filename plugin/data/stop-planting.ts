import { randomInt, type PRNG } from './seeded-random.ts'
import { chunkSpans, frameCodonStarts, stopFreeFrameMask } from './vanilla-rules.ts'

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0))
const FORWARD_STOPS = ['TAA', 'TAG', 'TGA'].map(ascii)
/** Reverse complements of the stops: written on the forward strand, they read as stops in the reverse frames. */
const REVERSE_STOPS = ['TTA', 'CTA', 'TCA'].map(ascii)

/** Enough for any real window: one plant fixes its frame and can only break another frame's stop by overlap. */
const MAX_PASSES = 64

/**
 * Makes every chunk of `bases[0, length)` (vanilla chunking at `chunkLength`) free of stop-free frames, by writing
 * a stop codon into each frame that lacks one. Random DNA alone is not enough: a 150 bp read keeps at least one
 * stop-free frame about 40% of the time, which would blur `orfRate`. Chunks overlap and a plant can overwrite another
 * frame's stop, hence the repeat until a clean pass.
 */
export function plantStopsInEveryFrame(bases: Uint8Array, length: number, chunkLength: number, rng: PRNG): void {
  const spans = chunkSpans(length, chunkLength)
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let clean = true
    for (const span of spans) {
      const end = span.start + span.length
      const mask = stopFreeFrameMask(bases, span.start, end)
      if (mask === 0) continue
      clean = false
      for (let frame = 0; frame < 6; frame++) {
        if ((mask & (1 << frame)) === 0) continue
        const starts = frameCodonStarts(span.start, end, frame)
        const at = starts[randomInt(rng, starts.length)]!
        const stops = frame < 3 ? FORWARD_STOPS : REVERSE_STOPS
        bases.set(stops[randomInt(rng, 3)]!, at)
      }
    }
    if (clean) return
  }
  throw new Error(`could not plant stops in all frames of a ${length} bp sequence after ${MAX_PASSES} passes`)
}
