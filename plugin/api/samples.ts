import { existsSync } from 'node:fs'
import { mkdir, rename } from 'node:fs/promises'
import { basename, extname, join, resolve } from 'node:path'
import { writeSynthFasta, type SynthOptions } from '../data/synth.ts'
import { loadSampleManifest } from '../data/sample-manifest.ts'
import { LAMBDA_PACKAGE, lambdaReadsSource, lambdaSourceDir, writeLambdaReads } from '../data/lambda-samples.ts'

export type ResolvedSample =
  | { status: 'ready'; name: string; path: string; records: number | null; manifestPath: string | null }
  | { status: 'missing'; name: string; reason: string }

export interface SampleSpec {
  readonly label: string
  resolve(where: { onGpu: boolean; cacheDir: string }): Promise<ResolvedSample>
}

type Preset = NonNullable<SynthOptions['preset']>

/**
 * Writes a derived sample into the runs cache through a temporary file, so an interrupted write never leaves a
 * truncated sample behind. Regenerated on every resolve: cheap, and never stale after a generator change.
 */
async function materialise(cacheDir: string, name: string, write: (path: string) => Promise<number>): Promise<ResolvedSample> {
  const dir = join(cacheDir, 'samples')
  await mkdir(dir, { recursive: true })
  const path = resolve(dir, `${name}.fa`)
  const records = await write(`${path}.tmp`)
  await rename(`${path}.tmp`, path)
  return { status: 'ready', name, path, records, manifestPath: null }
}

export interface SyntheticSample {
  seed: number
  /** One preset everywhere, or a larger one for GPU machines and a smaller one for CPU-only machines. */
  preset: Preset | { gpu: Preset; cpu: Preset }
  profile?: SynthOptions['profile']
  orfRate?: number
}

/** A seeded synthetic FASTA, generated on demand into the runs cache (same seed → byte-identical file). */
export function synthetic(options: SyntheticSample): SampleSpec {
  const presetFor = (onGpu: boolean): Preset =>
    typeof options.preset === 'string' ? options.preset : onGpu ? options.preset.gpu : options.preset.cpu
  const profile = options.profile ?? 'fixed500'
  const nameFor = (preset: Preset): string =>
    `synth-${preset}-${profile}-s${options.seed}${options.orfRate === undefined ? '' : `-orf${options.orfRate}`}`
  return {
    // Profile and seed in the label too: two samples of one size must not share a case name.
    label: typeof options.preset === 'string' ? nameFor(options.preset) : `synthetic ${options.preset.gpu} (GPU) / ${options.preset.cpu} (CPU) ${profile} s${options.seed}`,
    async resolve({ onGpu, cacheDir }) {
      const preset = presetFor(onGpu)
      const name = nameFor(preset)
      const synthOptions: SynthOptions = { seed: options.seed, preset, profile, ...(options.orfRate === undefined ? {} : { orfRate: options.orfRate }) }
      return materialise(cacheDir, name, async (path) => (await writeSynthFasta(path, synthOptions)).records)
    },
  }
}

/** A FASTA committed to the repository (e.g. under fixtures/samples/). */
export function committed(path: string): SampleSpec {
  const absolute = resolve(path)
  const name = basename(path, extname(path))
  return {
    label: name,
    async resolve() {
      if (!existsSync(absolute)) return { status: 'missing', name, reason: `committed sample ${path} does not exist` }
      return { status: 'ready', name, path: absolute, records: null, manifestPath: null }
    },
  }
}

/**
 * The first `reads` of the 10,000 lambda phage reads Debian's bowtie2-examples simulates (real viral sequence,
 * Illumina-like lengths), written into the runs cache on demand. Without the package the case is skipped with the
 * install line; BOWTIE2_EXAMPLES_DIR points at a copy elsewhere (e.g. carried to a GPU machine).
 */
export function lambdaReads(options: { reads: number | { gpu: number; cpu: number } }): SampleSpec {
  const readsFor = (onGpu: boolean): number => (typeof options.reads === 'number' ? options.reads : onGpu ? options.reads.gpu : options.reads.cpu)
  return {
    label: typeof options.reads === 'number' ? `lambda-reads-${options.reads}` : `lambda reads ${options.reads.gpu} (GPU) / ${options.reads.cpu} (CPU)`,
    async resolve({ onGpu, cacheDir }) {
      const reads = readsFor(onGpu)
      const name = `lambda-reads-${reads}`
      const sourceDir = lambdaSourceDir()
      const source = await lambdaReadsSource(sourceDir)
      if (source === null) {
        return { status: 'missing', name, reason: `no lambda reads under ${sourceDir}: apt-get install ${LAMBDA_PACKAGE}, or set BOWTIE2_EXAMPLES_DIR` }
      }
      return materialise(cacheDir, name, (path) => writeLambdaReads(source, path, reads))
    },
  }
}

/**
 * A large real sample the user keeps outside the repository, described by a manifest (see
 * fixtures/samples/manifests/). The manifest path comes from an environment variable so the bench file stays the
 * same on every machine; without it the case is skipped with the reason.
 */
export function realSample(options: { manifestEnv: string }): SampleSpec {
  return {
    label: `real sample ($${options.manifestEnv})`,
    async resolve() {
      const manifestPath = process.env[options.manifestEnv]
      const name = 'real-sample'
      if (manifestPath === undefined || manifestPath === '') {
        return { status: 'missing', name, reason: `no real sample: set ${options.manifestEnv} to a sample manifest (npx tsx scripts/describe-sample.ts FILE)` }
      }
      const manifest = await loadSampleManifest(manifestPath)
      const path = resolve(manifest.path)
      if (!existsSync(path)) {
        return { status: 'missing', name: manifest.name, reason: `manifest ${manifestPath} names ${manifest.path}, which does not exist on this machine` }
      }
      return { status: 'ready', name: manifest.name, path, records: manifest.sequenceCount, manifestPath: resolve(manifestPath) }
    },
  }
}

/** A sample manifest named by an environment variable, with a committed fallback (e.g. for projections). */
export interface ManifestRef {
  readonly label: string
  /** The manifest's path on this machine: the variable's value when set, else the fallback. */
  path(): string
}

/**
 * The real sample's manifest for projections: the path in `manifestEnv` when set, else `fallback`. Like `realSample`,
 * it keeps the bench file the same on every machine; unlike it, it needs only the manifest, not the FASTA.
 */
export function sampleManifest(options: { manifestEnv: string; fallback: string }): ManifestRef {
  return {
    label: `manifest ($${options.manifestEnv}, else ${options.fallback})`,
    path() {
      const fromEnv = process.env[options.manifestEnv]
      return fromEnv === undefined || fromEnv === '' ? options.fallback : fromEnv
    },
  }
}

export function manifestPathOf(ref: string | ManifestRef): string {
  return typeof ref === 'string' ? ref : ref.path()
}
