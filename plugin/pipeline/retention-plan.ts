/**
 * Which run folders to keep, thin out or delete: pure (no I/O), so the policy is tested over synthetic folders.
 *
 * - Runs in progress (no result yet, harness alive) are never touched.
 * - Successful runs: the newest `keepRuns` are kept whole; older ones are deleted.
 * - Failed, interrupted, timed-out and abandoned runs are kept whole (their logs and intermediates are the
 *   evidence), the newest `keepFailedRuns` of them; older ones are deleted.
 * - Then, while the total is over `maxBytes`: first the big intermediates (`.pt`) of successful runs go, oldest
 *   first; then whole successful runs, oldest first; then whole failed runs, oldest first.
 */

export type RetainedState = 'succeeded' | 'failed' | 'live'

export interface RunFolderFacts {
  dir: string
  /** Sort key, oldest first: run folder names start with their ISO time stamp. */
  name: string
  state: RetainedState
  bytes: number
  /** `.pt` files (intermediates and embeddings) with their sizes. */
  ptFiles: readonly { path: string; bytes: number }[]
}

export interface RetentionPolicy {
  keepRuns: number
  keepFailedRuns: number
  maxBytes: number
}

export type RetentionAction = { kind: 'delete-run'; dir: string; bytes: number; why: string } | { kind: 'delete-pt'; dir: string; files: string[]; bytes: number; why: string }

export interface RetentionPlan {
  actions: RetentionAction[]
  bytesBefore: number
  bytesAfter: number
  /** Set when the bound cannot be met without touching runs in progress. */
  overBound: string | null
}

export function planRetention(folders: readonly RunFolderFacts[], policy: RetentionPolicy): RetentionPlan {
  const byAge = [...folders].sort((a, b) => a.name.localeCompare(b.name))
  const bytesBefore = byAge.reduce((sum, f) => sum + f.bytes, 0)
  const actions: RetentionAction[] = []
  const deleted = new Set<string>()
  const thinned = new Set<string>()
  let total = bytesBefore
  const remove = (f: RunFolderFacts, why: string): void => {
    const ptGone = thinned.has(f.dir) ? f.ptFiles.reduce((s, p) => s + p.bytes, 0) : 0
    actions.push({ kind: 'delete-run', dir: f.dir, bytes: f.bytes - ptGone, why })
    deleted.add(f.dir)
    total -= f.bytes - ptGone
  }
  const keepNewest = (state: RetainedState, keep: number, why: string): void => {
    const list = byAge.filter((f) => f.state === state)
    for (const f of list.slice(0, Math.max(0, list.length - keep))) remove(f, why)
  }
  keepNewest('succeeded', policy.keepRuns, `more than ${policy.keepRuns} successful runs`)
  keepNewest('failed', policy.keepFailedRuns, `more than ${policy.keepFailedRuns} failed or interrupted runs`)

  const alive = (state: RetainedState): RunFolderFacts[] => byAge.filter((f) => f.state === state && !deleted.has(f.dir))
  for (const f of alive('succeeded')) {
    if (total <= policy.maxBytes) break
    const bytes = f.ptFiles.reduce((s, p) => s + p.bytes, 0)
    if (bytes === 0) continue
    actions.push({ kind: 'delete-pt', dir: f.dir, files: f.ptFiles.map((p) => p.path), bytes, why: 'over the size bound: intermediates of successful runs go first' })
    thinned.add(f.dir)
    total -= bytes
  }
  for (const state of ['succeeded', 'failed'] as const) {
    for (const f of alive(state)) {
      if (total <= policy.maxBytes) break
      remove(f, `over the size bound (${state} runs, oldest first)`)
    }
  }
  const overBound = total > policy.maxBytes ? `${(total / 2 ** 20).toFixed(1)} MiB left, over the ${(policy.maxBytes / 2 ** 20).toFixed(1)} MiB bound: only runs in progress remain` : null
  return { actions, bytesBefore, bytesAfter: total, overBound }
}
