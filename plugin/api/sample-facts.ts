/**
 * What a report says about the sample that ran: bases, length profile and provenance. Counted from the file for
 * the small samples the harness makes or commits; taken from the manifest for real samples (which may be huge).
 */
import { describeSample, loadSampleManifest } from '../data/sample-manifest.ts'
import type { ResolvedSample } from './samples.ts'

export interface SampleFacts {
  records: number | null
  bases: number | null
  lengths: { min: number; median: number; max: number } | null
  provenance: string | null
}

export async function sampleFacts(sample: ResolvedSample & { status: 'ready' }): Promise<SampleFacts> {
  try {
    const manifest = sample.manifestPath === null ? await describeSample(sample.path, { sha256: false }) : await loadSampleManifest(sample.manifestPath)
    return {
      records: manifest.sequenceCount,
      bases: manifest.bases,
      lengths: { min: manifest.length.min, median: manifest.length.p50, max: manifest.length.max },
      provenance: sample.provenance ?? manifest.provenance ?? null,
    }
  } catch {
    // An unreadable sample fails the run itself, with the pipeline's words; the report then just lacks these facts.
    return { records: sample.records, bases: null, lengths: null, provenance: sample.provenance ?? null }
  }
}
