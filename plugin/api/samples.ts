import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { basename, extname, join, resolve } from 'node:path'
import { writeSynthFasta, type SynthOptions } from '../data/synth.ts'
import { loadSampleManifest } from '../data/sample-manifest.ts'

export type ResolvedSample =
  | { status: 'ready'; name: string; path: string; records: number | null; manifestPath: string | null }
  | { status: 'missing'; name: string; reason: string }

export interface SampleSpec {
  readonly label: string
  resolve(where: { onGpu: boolean; cacheDir: string }): Promise<ResolvedSample>
}

type Preset = NonNullable<SynthOptions['preset']>

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
    label: typeof options.preset === 'string' ? nameFor(options.preset) : `synthetic ${options.preset.gpu} (GPU) / ${options.preset.cpu} (CPU)`,
    async resolve({ onGpu, cacheDir }) {
      const preset = presetFor(onGpu)
      const name = nameFor(preset)
      const dir = join(cacheDir, 'samples')
      await mkdir(dir, { recursive: true })
      const path = resolve(dir, `${name}.fa`)
      const synthOptions: SynthOptions = { seed: options.seed, preset, profile, ...(options.orfRate === undefined ? {} : { orfRate: options.orfRate }) }
      // Regenerated every time: cheap (100k records in seconds) and never stale after a generator change.
      const written = await writeSynthFasta(`${path}.tmp`, synthOptions)
      const { rename } = await import('node:fs/promises')
      await rename(`${path}.tmp`, path)
      return { status: 'ready', name, path, records: written.records, manifestPath: null }
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
