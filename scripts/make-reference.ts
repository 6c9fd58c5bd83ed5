/**
 * make-reference --sample FILE [--out fixtures/reference/<sample-stem>] [--model-size tiny] [--seed 42] [-m 500]
 *                [--command 'CMD {input} {out} {m}']
 * Runs the vanilla pipeline (the reference pipeline's --vanilla on CPU, or a configured original VirNucPro command)
 * on FILE and stores its outputs as a reference folder (manifest.json, predictions.tsv, consensus.tsv,
 * dnabert.arrow, esm.arrow). Exit codes: 0 written, 1 the run or the store failed, 2 usage error.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, extname, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { execa } from 'execa'
import { writeReference } from '../plugin/compare/index.ts'
import { contractOutputLayout } from '../plugin/pipeline/output-layout.ts'

import { runScript, UsageError } from './cli-support.ts'

const USAGE = "usage: make-reference --sample FILE [--out DIR] [--model-size tiny|full] [--seed N] [-m 300|500] [--command 'CMD {input} {out} {m}']"
const PYTHON = '/usr/bin/python3'
const REF_PIPELINE = resolve(import.meta.dirname, '..', 'fixtures', 'reference-pipeline')

interface Args {
  sample: string
  out: string
  modelSize: string
  seed: number
  chunk: 300 | 500
  command: string | null
}

function parse(argv: string[]): Args {
  const { values } = parseArgs({
    args: argv,
    options: {
      sample: { type: 'string' },
      out: { type: 'string' },
      'model-size': { type: 'string', default: 'tiny' },
      seed: { type: 'string', default: '42' },
      m: { type: 'string', short: 'm', default: '500' },
      command: { type: 'string' },
    },
  })
  if (values.sample === undefined) throw new UsageError('--sample FILE is required')
  const seed = Number(values.seed)
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got '${values.seed}'`)
  const m = Number(values.m)
  if (m !== 300 && m !== 500) throw new UsageError(`-m must be 300 or 500, got '${values.m}'`)
  const stem = basename(values.sample, extname(values.sample))
  return {
    sample: resolve(values.sample),
    out: resolve(values.out ?? join('fixtures', 'reference', stem)),
    modelSize: values['model-size'],
    seed,
    chunk: m,
    command: values.command ?? null,
  }
}

/** The command line as an argv: the reference pipeline by default, else the user's template with placeholders. */
function commandFor(a: Args, runDir: string): { argv: string[]; env: Record<string, string>; pipeline: string } {
  if (a.command !== null) {
    const argv = a.command
      .trim()
      .split(/\s+/)
      .map((t) => t.replaceAll('{input}', a.sample).replaceAll('{out}', runDir).replaceAll('{m}', String(a.chunk)))
    return { argv, env: {}, pipeline: 'virnucpro' }
  }
  const argv = [PYTHON, '-m', 'virnucpro_ref', 'predict', a.sample, '-m', String(a.chunk), '-o', runDir, '--vanilla', '--model-size', a.modelSize, '--seed', String(a.seed), '-k', '--device', 'cpu', '--force']
  return { argv, env: { PYTHONPATH: REF_PIPELINE }, pipeline: 'virnucpro_ref' }
}

async function makeReference(args: Args): Promise<void> {
  const runDir = join(await mkdtemp(join(tmpdir(), 'virnucpro-ref-')), 'out')
  try {
    const { argv, env, pipeline } = commandFor(args, runDir)
    const [file, ...rest] = argv
    if (file === undefined) throw new Error('--command is empty')
    const run = await execa(file, rest, { env, reject: false, all: true })
    if (run.exitCode !== 0) {
      throw new Error(`${argv.join(' ')} exited with ${String(run.exitCode ?? run.signal)}\n${(run.all ?? '').split('\n').slice(-20).join('\n')}`)
    }
    const layout = contractOutputLayout(runDir, args.sample, args.chunk)
    const manifest = await writeReference(runDir, args.out, {
      pipeline,
      version: (await stateVersion(layout.stateFile)) ?? versionLine(run.all ?? ''),
      mode: 'vanilla',
      seed: args.command === null ? args.seed : null,
      modelSize: args.command === null ? args.modelSize : null,
      chunkLength: args.chunk,
      // Stored without the temporary output folder so the manifest is stable between regenerations.
      command: argv.map((t) => (t === runDir ? '<out>' : t === args.sample ? basename(args.sample) : t)),
      inputFile: args.sample,
    })
    process.stdout.write(`${args.out}: ${manifest.counts.predictions} frames, ${manifest.counts.consensus} chunks, input ${manifest.input.records} records\n`)
  } finally {
    await rm(resolve(runDir, '..'), { recursive: true, force: true })
  }
}

/** The reference pipeline records its version at the top of the state file; the real tool does not. */
async function stateVersion(stateFile: string): Promise<string | null> {
  try {
    const json: unknown = JSON.parse(await readFile(stateFile, 'utf8'))
    if (typeof json === 'object' && json !== null && 'version' in json && typeof json.version === 'string') return json.version
  } catch {
    // no state file: fall back to the log
  }
  return null
}

/** The pipeline's own version line if it logged one (`VirNucPro, version X` or `version: X`), else 'unknown'. */
function versionLine(log: string): string {
  const m = /version[:,]?\s+v?(\d+\.\d+[\w.+-]*)/i.exec(log)
  return m?.[1] ?? 'unknown'
}

runScript('make-reference', USAGE, parse, makeReference)
