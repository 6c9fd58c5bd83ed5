/** One FASTA/FASTQ record. `id` is the first whitespace-delimited header token (Biopython's `record.id`). */
export interface SequenceRecord {
  readonly id: string
  /** Header text after the id, trimmed; '' when absent. */
  readonly description: string
  /** Bases as written (case preserved, line breaks and spaces removed). */
  readonly sequence: string
}

export type SequenceFormat = 'fasta' | 'fastq'

/** Splits a header line (without its `>`/`@`) into id and description. */
export function splitHeader(header: string): { id: string; description: string } {
  const trimmed = header.trim()
  const match = /\s/.exec(trimmed)
  if (!match) return { id: trimmed, description: '' }
  return { id: trimmed.slice(0, match.index), description: trimmed.slice(match.index).trim() }
}
