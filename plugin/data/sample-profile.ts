/**
 * A measured sample's work profile, for calibrating projections: described from the file when it is there, and
 * otherwise regenerated from its name when it is one the harness makes deterministically (seeded synthetic presets,
 * the first N lambda phage reads). I/O: reads and writes FASTA.
 */
import { existsSync } from 'node:fs'
import { mkdir, rename } from 'node:fs/promises'
import { join } from 'node:path'
import type { WorkProfile } from '../model/work-profile.ts'
import { lambdaReadsSource, lambdaSourceDir, writeLambdaReads } from './lambda-samples.ts'
import { describeSample } from './sample-manifest.ts'
import { isPreset, isProfile } from './synth-profiles.ts'
import { writeSynthFasta, type SynthOptions } from './synth.ts'

export interface SampleProfile {
  inputRecords: number
  bases: number
  work: WorkProfile
  /** Where it came from, for the projection's assumptions. */
  source: string
}

/** Streams the file once with the vanilla rules at `chunkLength` (no hash: only the work is wanted). */
export async function describeProfile(path: string, chunkLength: number): Promise<SampleProfile> {
  const manifest = await describeSample(path, { chunkLength, sha256: false })
  if (manifest.work === undefined) throw new Error(`describe-sample wrote no work profile for ${path}`)
  return { inputRecords: manifest.sequenceCount, bases: manifest.bases, work: manifest.work, source: `described from ${path}` }
}

/** The generator options behind a synthetic sample name (`synth-<preset>-<profile>-s<seed>[-orf<rate>]`, samples.ts). */
export function synthOptionsFromName(name: string): SynthOptions | null {
  const match = /^synth-([a-z]+)-([a-z0-9]+)-s(\d+)(?:-orf([0-9.]+))?$/.exec(name)
  if (match === null || !isPreset(match[1]!) || !isProfile(match[2]!)) return null
  return { preset: match[1], profile: match[2], seed: Number(match[3]), ...(match[4] === undefined ? {} : { orfRate: Number(match[4]) }) }
}

async function regenerate(name: string, dir: string): Promise<string | null> {
  const synth = synthOptionsFromName(name)
  const lambda = /^lambda-reads-(\d+)$/.exec(name)
  if (synth === null && lambda === null) return null
  await mkdir(dir, { recursive: true })
  const path = join(dir, `${name}.fa`)
  if (synth !== null) {
    await writeSynthFasta(`${path}.tmp`, synth)
  } else {
    const source = await lambdaReadsSource(lambdaSourceDir())
    if (source === null) return null
    await writeLambdaReads(source, `${path}.tmp`, Number(lambda![1]))
  }
  await rename(`${path}.tmp`, path)
  return path
}

/** The sample's profile, or null when it is neither on disk nor regenerable here. */
export async function recoverSampleProfile(sample: { name: string; path: string }, chunkLength: number, cacheDir: string): Promise<SampleProfile | null> {
  if (sample.path !== '' && existsSync(sample.path)) return describeProfile(sample.path, chunkLength)
  const path = await regenerate(sample.name, cacheDir)
  if (path === null) return null
  const profile = await describeProfile(path, chunkLength)
  return { ...profile, source: `regenerated from its name (${sample.name}) and described` }
}
