/**
 * Seeded synthetic FASTA for benchmarks and validations.
 *   npx tsx scripts/synth.ts --preset tiny|small|typical|large|huge --seed N --out FILE
 *     [--profile fixed500|fixed300|reads150|contigs] [--orf-rate R] [--count N] [--gc F]
 *     [--chunk-length N] [--line-width N] [--stats]
 * With --stats, prints one JSON object with the file's vanilla-rule statistics.
 */
import { parseArgs } from 'node:util'
import { runScript, UsageError } from './cli-support.ts'
import {
  DEFAULT_GC_FRACTION,
  DEFAULT_ORF_RATE,
  isPreset,
  isProfile,
  PRESET_NAMES,
  PRESETS,
  PROFILES,
  writeSynthFasta,
  type SynthOptions,
} from '../plugin/data/index.ts'

const USAGE = `usage: npx tsx scripts/synth.ts --preset ${PRESET_NAMES.join('|')} --seed N --out FILE
         [--profile ${PROFILES.join('|')}] [--orf-rate R] [--count N] [--gc F]
         [--chunk-length N] [--line-width N] [--stats]
  --preset        record count: ${PRESET_NAMES.map((p) => `${p} ${PRESETS[p]}`).join(', ')} (--count overrides)
  --seed          non-negative integer; same seed and options give byte-identical output
  --profile       lengths: fixed500 (default), fixed300, reads150 (~150 bp reads), contigs (200-5000 bp)
  --orf-rate      fraction of chunks with a stop-free frame, 0..1 (default ${DEFAULT_ORF_RATE})
  --gc            mean GC fraction, 0.2..0.8 (default ${DEFAULT_GC_FRACTION})
  --chunk-length  chunk length for the ORF layout and --stats (default 300 for fixed300, else 500)
  --line-width    FASTA line width (default 60)
  --stats         print {records, bases, length, gcFraction, chunkLength, chunks, chunksWithOrf, orfChunkFraction, orfFrames}`

function parseInteger(flag: string, text: string, min: number): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text)) || Number(text) < min) {
    throw new UsageError(`--${flag} must be an integer >= ${min}, got '${text}'`)
  }
  return Number(text)
}

function parseNumber(flag: string, text: string, min: number, max: number): number {
  const value = Number(text)
  if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`--${flag} must be a number in [${min}, ${max}], got '${text}'`)
  }
  return value
}

function parseCommandLine(argv: string[]): { out: string; stats: boolean; options: SynthOptions } {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      preset: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      profile: { type: 'string' },
      'orf-rate': { type: 'string' },
      count: { type: 'string' },
      gc: { type: 'string' },
      'chunk-length': { type: 'string' },
      'line-width': { type: 'string' },
      stats: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) {
    console.log(USAGE)
    process.exit(0)
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`)
  if (values.preset === undefined && values.count === undefined) {
    throw new UsageError(`--preset is required (one of ${PRESET_NAMES.join(', ')}) unless --count is given`)
  }
  if (values.preset !== undefined && !isPreset(values.preset)) {
    throw new UsageError(`--preset must be one of ${PRESET_NAMES.join(', ')}, got '${values.preset}'`)
  }
  if (values.profile !== undefined && !isProfile(values.profile)) {
    throw new UsageError(`--profile must be one of ${PROFILES.join(', ')}, got '${values.profile}'`)
  }
  if (values.seed === undefined) throw new UsageError('--seed is required (a non-negative integer)')
  if (values.out === undefined) throw new UsageError('--out is required (the FASTA file to write)')
  const options: SynthOptions = {
    seed: parseInteger('seed', values.seed, 0),
    ...(values.preset !== undefined && isPreset(values.preset) ? { preset: values.preset } : {}),
    ...(values.profile !== undefined && isProfile(values.profile) ? { profile: values.profile } : {}),
    ...(values.count !== undefined ? { count: parseInteger('count', values.count, 1) } : {}),
    ...(values['orf-rate'] !== undefined ? { orfRate: parseNumber('orf-rate', values['orf-rate'], 0, 1) } : {}),
    ...(values.gc !== undefined ? { gcFraction: parseNumber('gc', values.gc, 0.2, 0.8) } : {}),
    ...(values['chunk-length'] !== undefined ? { chunkLength: parseInteger('chunk-length', values['chunk-length'], 3) } : {}),
    ...(values['line-width'] !== undefined ? { lineWidth: parseInteger('line-width', values['line-width'], 1) } : {}),
  }
  return { out: values.out, stats: values.stats, options }
}

runScript('synth', USAGE, parseCommandLine, async (command) => {
  const result = await writeSynthFasta(command.out, command.options, { stats: command.stats })
  if (result.stats) console.log(JSON.stringify(result.stats))
})
