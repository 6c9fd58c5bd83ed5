import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'

/** Minimal FASTA peek for inspection only (the real streaming reader lives in plugin/data/). */
export interface FastaSummary {
  count: number
  residues: number
  firstIds: string[]
}

export async function summariseFasta(path: string, keepIds = 5): Promise<FastaSummary> {
  const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity })
  const out: FastaSummary = { count: 0, residues: 0, firstIds: [] }
  let lineNo = 0
  for await (const line of rl) {
    lineNo++
    if (line.startsWith('>')) {
      out.count++
      if (out.firstIds.length < keepIds) out.firstIds.push(line.slice(1).split(/\s/, 1)[0] ?? '')
    } else if (line.trim() !== '') {
      if (out.count === 0) throw new Error(`${path}:${lineNo}: sequence data before the first '>' header`)
      out.residues += line.trim().length
    }
  }
  return out
}
