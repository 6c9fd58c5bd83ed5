import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { LineSplitter, NvidiaSmiParser, parseMetric, parseNvidiaSmiTimestamp } from './nvidia-smi-parser.ts'

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')

describe('nvidia-smi parser', () => {
  it('reads values with and without units and the not-available forms', () => {
    expect(parseMetric(' 0 %')).toBe(0)
    expect(parseMetric(' 3631 MiB')).toBe(3631)
    expect(parseMetric(' 70.12 W')).toBe(70.12)
    expect(parseMetric('1980 MHz')).toBe(1980)
    expect(parseMetric(' 55')).toBe(55)
    expect(parseMetric(' [N/A]')).toBeNull()
    expect(parseMetric(' [Not Supported]')).toBeNull()
    expect(parseMetric('N/A')).toBeNull()
  })

  it('reads the local-time timestamp with milliseconds', () => {
    expect(parseNvidiaSmiTimestamp('2026/11/28 17:37:29.447')).toBe(new Date(2026, 10, 28, 17, 37, 29, 447).getTime())
    expect(parseNvidiaSmiTimestamp('garbage')).toBeNull()
  })

  it('parses the captured single-GPU CSV (header with units, no index column)', () => {
    const parser = new NvidiaSmiParser()
    const samples = parser.parseText(fixture('bench_single.gpu.csv'))
    expect(samples).toHaveLength(230)
    expect(parser.rejected).toBe(0)
    expect(samples[0]).toMatchObject({ gpu: 0, utilisationPct: 0, memoryUsedMiB: 0, powerW: 78.37, memoryTotalMiB: null, smClockMHz: null })
    expect(Math.max(...samples.map((s) => s.utilisationPct ?? 0))).toBeGreaterThan(50)
  })

  it('parses the sampler query form (noheader, nounits) with N/A fields, and streams across chunk boundaries', () => {
    const parser = new NvidiaSmiParser()
    const splitter = new LineSplitter()
    const text =
      '2026/11/28 17:37:29.447, 0, GPU-aaa, 55, 1024, 143771, 120.5, 1980\n' +
      '2026/11/28 17:37:29.447, 1, GPU-bbb, [N/A], 0, 143771, [Not Supported], [N/A]\n' +
      'not a sample line\n'
    const lines = [...splitter.push(text.slice(0, 50)), ...splitter.push(text.slice(50)), ...splitter.flush()]
    const samples = lines.map((l) => parser.parseLine(l)).filter((s) => s !== null)
    expect(samples).toEqual([
      { timestampMs: expect.any(Number), gpu: 0, uuid: 'GPU-aaa', utilisationPct: 55, memoryUsedMiB: 1024, memoryTotalMiB: 143771, powerW: 120.5, smClockMHz: 1980, stage: null },
      { timestampMs: expect.any(Number), gpu: 1, uuid: 'GPU-bbb', utilisationPct: null, memoryUsedMiB: 0, memoryTotalMiB: 143771, powerW: null, smClockMHz: null, stage: null },
    ])
    expect(parser.rejected).toBe(1)
  })

  it('costs little CPU per 1,000 lines (measured, reported, not asserted)', () => {
    const line = '2026/11/28 17:37:29.447, 0, GPU-aaa, 55, 1024, 143771, 120.5, 1980'
    const parser = new NvidiaSmiParser()
    const lines = Array.from({ length: 100_000 }, () => line)
    const before = process.cpuUsage()
    for (const l of lines) parser.parseLine(l)
    const used = process.cpuUsage(before)
    const msPer1000 = (used.user + used.system) / 1000 / 100
    console.log(`nvidia-smi parser: ${msPer1000.toFixed(3)} ms CPU per 1,000 lines`)
    expect(msPer1000).toBeGreaterThan(0)
  })
})
