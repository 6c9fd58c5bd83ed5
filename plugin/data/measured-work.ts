/**
 * The work each measured run's sample gave the pipeline, for calibrating the cost model: exact (described, or
 * regenerated and described) where the sample can be had here, from the run's own totals otherwise (said so in the
 * work's assumptions). I/O: may read and regenerate samples under `cacheDir`.
 */
import { resolve } from 'node:path'
import { workFromRunTotals } from '../analysis/projection.ts'
import { runChunkLength, sampleWorkFromProfile, targetModel, type SampleWork } from '../analysis/sample-work.ts'
import type { RunResult } from '../model/run-result.ts'
import { recoverSampleProfile } from './sample-profile.ts'

export async function measuredWorkLookup(runs: readonly RunResult[], cacheDir: string): Promise<(run: RunResult) => SampleWork> {
  const key = (run: RunResult): string => `${run.sample.name}\u0000${runChunkLength(run)}\u0000${run.target.kind}\u0000${run.mode}\u0000${run.device}`
  const cache = new Map<string, SampleWork>()
  for (const run of runs) {
    if (cache.has(key(run))) continue
    const profile = await recoverSampleProfile(run.sample, runChunkLength(run), resolve(cacheDir))
    cache.set(key(run), profile === null ? workFromRunTotals(run) : sampleWorkFromProfile(run.sample.name, profile.inputRecords, profile.bases, profile.work, targetModel(run)))
  }
  return (run) => cache.get(key(run)) ?? workFromRunTotals(run)
}
