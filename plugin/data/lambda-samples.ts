import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { access, mkdir, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { execa } from 'execa'
import { readSequences } from './fasta-reader.ts'
import { writeFasta } from './fasta-writer.ts'
import { describeSample, type SampleManifest } from './sample-manifest.ts'
import type { SequenceRecord } from './sequence-record.ts'

/** Debian's `bowtie2-examples` ships Enterobacteria phage lambda (NC_001416.1) and reads simulated from it. */
export const LAMBDA_PACKAGE = 'bowtie2-examples'
export const DEFAULT_LAMBDA_SOURCE_DIR = '/usr/share/doc/bowtie2/examples'
const GENOME_SOURCE = 'reference/lambda_virus.fa.gz'
const READS_SOURCE = 'reads/reads_1.fq.gz'

export interface SourceFile {
  readonly path: string
  readonly sha256: string
}

export interface LambdaProvenance {
  readonly package: string
  readonly version: string
  readonly sources: { readonly genome: SourceFile; readonly reads: SourceFile }
  readonly outputs: ReadonlyArray<{ readonly path: string; readonly sha256: string; readonly records: number; readonly derivation: string }>
  readonly command: string
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** `dpkg-query -W` version of the installed package, or a clear error saying how to install it. */
export async function installedPackageVersion(name: string): Promise<string> {
  const result = await execa('dpkg-query', ['-W', '-f=${Version}', name], { reject: false })
  if (result.exitCode !== 0 || result.stdout.trim() === '') {
    throw new Error(`package ${name} is not installed (dpkg-query: ${result.stderr.trim() || 'no version'}); run: apt-get install ${name}`)
  }
  return result.stdout.trim()
}

async function* firstRecords(source: AsyncIterable<SequenceRecord>, limit: number): AsyncGenerator<SequenceRecord> {
  if (limit <= 0) return
  let taken = 0
  for await (const record of source) {
    yield record
    if (++taken >= limit) return
  }
}

/** Where the package's files are: `BOWTIE2_EXAMPLES_DIR` (e.g. a copy carried to a GPU machine) or Debian's path. */
export function lambdaSourceDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.BOWTIE2_EXAMPLES_DIR
  return dir === undefined || dir === '' ? DEFAULT_LAMBDA_SOURCE_DIR : dir
}

/** The simulated reads file, or null when the package's files are not on this machine. */
export async function lambdaReadsSource(sourceDir: string): Promise<string | null> {
  const path = join(sourceDir, READS_SOURCE)
  return access(path).then(
    () => path,
    () => null,
  )
}

/** The first `reads` simulated lambda reads as FASTA (IDs unchanged, qualities dropped); returns the record count. */
export async function writeLambdaReads(readsSource: string, out: string, reads: number): Promise<number> {
  return writeFasta(out, firstRecords(readSequences(readsSource), reads))
}

export interface MakeLambdaSamplesOptions {
  readonly sourceDir?: string
  readonly outDir: string
  readonly reads: number
  /** Repository root, so recorded paths are repo-relative. */
  readonly repoRoot: string
  /** The command line to record in the provenance. */
  readonly command: string
}

export interface LambdaSamplesResult {
  readonly provenance: LambdaProvenance
  readonly manifests: readonly SampleManifest[]
}

/**
 * Derives the committed lambda samples: the genome as-is (headers unchanged, 60-column FASTA) and the first N reads
 * of reads_1.fq converted to FASTA (IDs unchanged, qualities dropped). Deterministic: output depends only on the
 * package contents and N. Writes the samples, `lambda-provenance.json` and one manifest per sample.
 */
export async function makeLambdaSamples(options: MakeLambdaSamplesOptions): Promise<LambdaSamplesResult> {
  const sourceDir = options.sourceDir ?? DEFAULT_LAMBDA_SOURCE_DIR
  const genomeSource = join(sourceDir, GENOME_SOURCE)
  const readsSource = join(sourceDir, READS_SOURCE)
  for (const path of [genomeSource, readsSource]) {
    await access(path).catch(() => {
      throw new Error(`missing ${path}; install ${LAMBDA_PACKAGE} (apt-get install ${LAMBDA_PACKAGE}) or pass --source-dir`)
    })
  }
  const version = await installedPackageVersion(LAMBDA_PACKAGE)
  await mkdir(join(options.outDir, 'manifests'), { recursive: true })

  const genomeOut = join(options.outDir, 'lambda-genome.fa')
  const readsOut = join(options.outDir, `lambda-reads-${options.reads}.fa`)
  const genomeCount = await writeFasta(genomeOut, readSequences(genomeSource))
  const readsCount = await writeLambdaReads(readsSource, readsOut, options.reads)

  const rel = (path: string): string => relative(options.repoRoot, path)
  const sources = {
    genome: { path: genomeSource, sha256: await sha256File(genomeSource) },
    reads: { path: readsSource, sha256: await sha256File(readsSource) },
  }
  const provenance: LambdaProvenance = {
    package: LAMBDA_PACKAGE,
    version,
    sources,
    outputs: [
      { path: rel(genomeOut), sha256: await sha256File(genomeOut), records: genomeCount, derivation: `all records of ${GENOME_SOURCE}, headers unchanged, 60-column FASTA` },
      { path: rel(readsOut), sha256: await sha256File(readsOut), records: readsCount, derivation: `first ${options.reads} records of ${READS_SOURCE}, FASTQ to FASTA, IDs unchanged, qualities dropped` },
    ],
    command: options.command,
  }
  await writeFile(join(options.outDir, 'lambda-provenance.json'), `${JSON.stringify(provenance, null, 2)}\n`)

  const source = (file: SourceFile): string => `${LAMBDA_PACKAGE} ${version} ${file.path} (sha256 ${file.sha256})`
  const manifests = [
    await describeSample(genomeOut, {
      name: 'lambda-genome',
      manifestPath: rel(genomeOut),
      provenance: `Enterobacteria phage lambda complete genome NC_001416.1, from ${source(sources.genome)}`,
    }),
    await describeSample(readsOut, {
      name: `lambda-reads-${options.reads}`,
      manifestPath: rel(readsOut),
      provenance: `First ${options.reads} reads simulated from lambda by bowtie2's examples, from ${source(sources.reads)}`,
    }),
  ]
  for (const manifest of manifests) {
    await writeFile(join(options.outDir, 'manifests', `${manifest.name}.json`), `${JSON.stringify(manifest, null, 2)}\n`)
  }
  return { provenance, manifests }
}
