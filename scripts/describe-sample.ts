/**
 * Measures a FASTA/FASTQ (gzip allowed) in one streaming pass and prints a sample manifest (plugin/data/sample-manifest.ts).
 *   npx tsx scripts/describe-sample.ts FILE [--name N] [--provenance TEXT] [--baseline-seconds S]
 *     [--baseline-description TEXT] [--baseline-measured] [--chunk-length 300|500] [--no-sha256] [--out manifest.json]
 */
import { writeFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { runScript, UsageError } from './cli-support.ts'
import { describeSample, type DescribeSampleOptions } from '../plugin/data/index.ts'

const USAGE = `usage: npx tsx scripts/describe-sample.ts FILE [--name N] [--provenance TEXT] [--baseline-seconds S]
         [--baseline-description TEXT] [--baseline-measured] [--chunk-length N] [--no-sha256] [--out manifest.json]
  FILE                    FASTA or FASTQ, optionally gzip-compressed
  --baseline-seconds      wall time of the original pipeline on this sample (e.g. 162000 for 45 h)
  --baseline-description  default "original pipeline (VirNucPro v1.0, single GPU)"
  --baseline-measured     the baseline was timed on this sample (default: a claim or projection)
  --chunk-length          chunk length for chunk/ORF counts (default 500)
  --out                   also write the manifest to this file`

function positiveNumber(flag: string, text: string): number {
  const value = Number(text)
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new UsageError(`--${flag} must be a positive number, got '${text}'`)
  return value
}

function parseCommandLine(argv: string[]): { file: string; out: string | undefined; options: DescribeSampleOptions } {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      provenance: { type: 'string' },
      'baseline-seconds': { type: 'string' },
      'baseline-description': { type: 'string' },
      'baseline-measured': { type: 'boolean', default: false },
      'chunk-length': { type: 'string' },
      'no-sha256': { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) {
    console.log(USAGE)
    process.exit(0)
  }
  const [file, ...extra] = positionals
  if (file === undefined) throw new UsageError('FILE is required (a FASTA or FASTQ file)')
  if (extra.length > 0) throw new UsageError(`expected one FILE, got extra argument '${extra[0]}'`)
  if (values['baseline-seconds'] === undefined && (values['baseline-description'] !== undefined || values['baseline-measured'])) {
    throw new UsageError('--baseline-description and --baseline-measured need --baseline-seconds')
  }
  const chunkText = values['chunk-length']
  if (chunkText !== undefined && !/^[1-9]\d*$/.test(chunkText)) {
    throw new UsageError(`--chunk-length must be a positive integer (300 or 500 for the real models), got '${chunkText}'`)
  }
  const options: DescribeSampleOptions = {
    ...(values.name !== undefined ? { name: values.name } : {}),
    ...(values.provenance !== undefined ? { provenance: values.provenance } : {}),
    ...(chunkText !== undefined ? { chunkLength: Number(chunkText) } : {}),
    ...(values['baseline-seconds'] !== undefined
      ? {
          baseline: {
            wallSeconds: positiveNumber('baseline-seconds', values['baseline-seconds']),
            description: values['baseline-description'] ?? 'original pipeline (VirNucPro v1.0, single GPU)',
            measured: values['baseline-measured'],
          },
        }
      : {}),
    sha256: !values['no-sha256'],
  }
  return { file, out: values.out, options }
}

runScript('describe-sample', USAGE, parseCommandLine, async (command) => {
  const manifest = await describeSample(command.file, command.options)
  const json = `${JSON.stringify(manifest, null, 2)}\n`
  if (command.out !== undefined) await writeFile(command.out, json)
  process.stdout.write(json)
})
