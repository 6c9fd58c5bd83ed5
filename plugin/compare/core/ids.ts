/** Id bookkeeping shared by every comparison and integrity check: ids are matched by value, never by position. */

/** How many example ids a message quotes. */
const SAMPLE = 5

/** A count of ids plus the first few, so a message can name the rows to look at. */
export interface IdSample {
  count: number
  examples: string[]
}

export function idSample(): IdSample {
  return { count: 0, examples: [] }
}

export function noteId(s: IdSample, id: string): void {
  s.count++
  if (s.examples.length < SAMPLE) s.examples.push(id)
}

/** "3 (e.g. a, b, c)" — a count plus the first few ids, so a message names the rows to look at. */
export function describeIds(s: IdSample): string {
  if (s.examples.length === 0) return String(s.count)
  const more = s.count > s.examples.length ? ', …' : ''
  return `${s.count} (e.g. ${s.examples.join(', ')}${more})`
}

/** First row index of every id (later duplicates are an integrity finding elsewhere, not a second match). */
export function indexById(ids: readonly string[]): Map<string, number> {
  const m = new Map<string, number>()
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as string
    if (!m.has(id)) m.set(id, i)
  }
  return m
}

/**
 * Pairs reference rows with candidate rows by id, each candidate row at most once (a repeated reference id is
 * compared once), and notes the ids found on one side only. One Map and one flag per candidate row, so a 1M-row
 * table pair costs one index, not three.
 */
export function pairById(
  candidateIds: readonly string[],
  referenceIds: readonly string[],
  onPair: (candidateRow: number, referenceRow: number, id: string) => void,
): { matched: number; missing: IdSample; extra: IdSample } {
  const cand = indexById(candidateIds)
  const paired = new Uint8Array(candidateIds.length)
  const missing = idSample()
  const extra = idSample()
  let matched = 0
  for (let r = 0; r < referenceIds.length; r++) {
    const id = referenceIds[r] as string
    const c = cand.get(id)
    if (c === undefined) noteId(missing, id)
    else if (paired[c] === 0) {
      paired[c] = 1
      matched++
      onPair(c, r, id)
    }
  }
  for (const [id, c] of cand) if (paired[c] === 0) noteId(extra, id)
  return { matched, missing, extra }
}

/** The chunk id of an ORF frame id: the optimised tool strips the frame tag only when it is F1–R3 (vanilla §7). */
export function chunkIdOf(frameId: string): string {
  return /[FR][1-3]$/.test(frameId) ? frameId.slice(0, -2) : frameId
}
