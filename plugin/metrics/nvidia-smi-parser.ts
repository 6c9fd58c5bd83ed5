/**
 * Pure parser for `nvidia-smi --query-gpu=… --format=csv[,noheader][,nounits]` output. Tolerates `[N/A]`,
 * `[Not Supported]` and values with units (`0 %`, `0 MiB`, `70.12 W`, `1980 MHz`), and reads the column order from a
 * header line when there is one (the captured CSVs have a header and no index column).
 */
import { NVIDIA_SMI_FIELDS, type GpuSample } from './gpu-sample.ts'

/** `utilization.gpu [%]` → `utilization.gpu`. */
export function columnsFromHeader(line: string): string[] | null {
  if (!/^\s*timestamp\b/i.test(line)) return null
  return line.split(',').map((c) => c.replace(/\[[^\]]*\]/g, '').trim().toLowerCase())
}

/** A number, or null for `[N/A]`, `[Not Supported]`, `N/A`, empty; trailing units are dropped. */
export function parseMetric(text: string | undefined): number | null {
  if (text === undefined) return null
  const match = /^\s*(-?\d+(?:\.\d+)?)\s*(?:%|MiB|MB|W|MHz)?\s*$/i.exec(text)
  return match?.[1] === undefined ? null : Number(match[1])
}

/** `2026/11/28 17:37:29.447` (nvidia-smi prints the host's local time) → epoch ms. */
export function parseNvidiaSmiTimestamp(text: string): number | null {
  const m = /^\s*(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?\s*$/.exec(text)
  if (m === null) return null
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number)
  const ms = Number((m[7] ?? '0').padEnd(3, '0'))
  const date = new Date(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, s ?? 0, ms)
  return Number.isNaN(date.getTime()) ? null : date.getTime()
}

export class NvidiaSmiParser {
  private columns: string[]
  /** Lines that were neither a header nor a readable sample: counted, not fatal. */
  rejected = 0

  constructor(columns: readonly string[] = NVIDIA_SMI_FIELDS) {
    this.columns = [...columns]
  }

  /** A sample, or null for a header (which also sets the columns) or an unreadable line. */
  parseLine(line: string): GpuSample | null {
    if (line.trim() === '') return null
    const header = columnsFromHeader(line)
    if (header !== null) {
      this.columns = header
      return null
    }
    const values = line.split(',')
    const field = (name: string): string | undefined => {
      const i = this.columns.indexOf(name)
      return i < 0 ? undefined : values[i]
    }
    const timestampMs = parseNvidiaSmiTimestamp(field('timestamp') ?? '')
    if (timestampMs === null || values.length < this.columns.length) {
      this.rejected++
      return null
    }
    const uuid = field('uuid')?.trim()
    return {
      timestampMs,
      // Captures made without an index column come from single-GPU hosts.
      gpu: parseMetric(field('index')) ?? 0,
      uuid: uuid && !uuid.startsWith('[') ? uuid : null,
      utilisationPct: parseMetric(field('utilization.gpu')),
      memoryUsedMiB: parseMetric(field('memory.used')),
      memoryTotalMiB: parseMetric(field('memory.total')),
      powerW: parseMetric(field('power.draw')),
      smClockMHz: parseMetric(field('clocks.sm')),
      stage: null,
    }
  }

  parseText(text: string): GpuSample[] {
    const out: GpuSample[] = []
    for (const line of text.split(/\r?\n/)) {
      const sample = this.parseLine(line)
      if (sample !== null) out.push(sample)
    }
    return out
  }
}

/** Splits a byte stream into complete lines, keeping a partial last line for the next chunk. */
export class LineSplitter {
  private rest = ''

  push(chunk: string): string[] {
    const text = this.rest + chunk
    const lines = text.split(/\r\n|\r|\n/)
    this.rest = lines.pop() ?? ''
    return lines
  }

  flush(): string[] {
    const last = this.rest
    this.rest = ''
    return last === '' ? [] : [last]
  }
}
