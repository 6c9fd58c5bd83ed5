/**
 * Keeps the runs folder bounded: measures every run folder, plans with retention-plan.ts, deletes. Called by the
 * harness's main process at start and after every finished test, never for runs still in progress.
 */
import { lstat, readdir, readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { listRunFolders, runFolderState } from './stale-runs.ts'
import { writeJsonAtomic } from '../io/files.ts'
import { planRetention, type RetainedState, type RetentionPlan, type RetentionPolicy, type RunFolderFacts } from './retention-plan.ts'

export type { RetentionPolicy, RetentionPlan } from './retention-plan.ts'

/** Bytes under a folder and its `.pt` files (symlinks are counted as links, never followed). */
export async function measureFolder(dir: string): Promise<{ bytes: number; ptFiles: { path: string; bytes: number }[] }> {
  let bytes = 0
  const ptFiles: { path: string; bytes: number }[] = []
  const walk = async (d: string): Promise<void> => {
    let entries
    try {
      entries = await readdir(d, { withFileTypes: true })
    } catch {
      return
    }
    for (const e of entries) {
      const p = path.join(d, e.name)
      if (e.isDirectory()) await walk(p)
      else {
        const size = await lstat(p).then(
          (s) => s.size,
          () => 0,
        )
        bytes += size
        if (e.isFile() && e.name.endsWith('.pt')) ptFiles.push({ path: p, bytes: size })
      }
    }
  }
  await walk(dir)
  return { bytes, ptFiles }
}

async function stateOf(runDir: string): Promise<RetainedState> {
  const state = await runFolderState(runDir)
  if (state === 'live') return 'live'
  if (state !== 'finished') return 'failed' // abandoned or stale: evidence of a harness that died
  try {
    const result = JSON.parse(await readFile(path.join(runDir, 'result.json'), 'utf8')) as { outcome?: unknown }
    return result.outcome === 'succeeded' ? 'succeeded' : 'failed'
  } catch {
    return 'failed'
  }
}

export async function runFolderFacts(runsDir: string): Promise<RunFolderFacts[]> {
  const facts: RunFolderFacts[] = []
  for (const dir of await listRunFolders(runsDir)) {
    const { bytes, ptFiles } = await measureFolder(dir)
    facts.push({ dir, name: path.basename(dir), state: await stateOf(dir), bytes, ptFiles })
  }
  return facts
}

/** Plans and applies retention over `runsDir`; returns what was done. */
export async function applyRetention(runsDir: string, policy: RetentionPolicy): Promise<RetentionPlan> {
  const plan = planRetention(await runFolderFacts(runsDir), policy)
  for (const action of plan.actions) {
    if (action.kind === 'delete-run') {
      await rm(action.dir, { recursive: true, force: true })
    } else {
      for (const file of action.files) await rm(file, { force: true })
      // The folder stays (logs, result, timeline); say why its embeddings are gone.
      await writeJsonAtomic(path.join(action.dir, 'retention.json'), { deletedAtMs: Date.now(), why: action.why, deletedPtFiles: action.files.map((f) => path.relative(action.dir, f)), bytes: action.bytes }).catch(() => undefined)
    }
  }
  return plan
}
