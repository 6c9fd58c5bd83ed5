import { mkdtemp, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { caseFileName, CaseStore, caseStoreDir } from './case-store.ts'
import { buildCase, buildRun } from '../test-support/builders.ts'

async function freshStore(): Promise<CaseStore> {
  return CaseStore.forSession(await mkdtemp(join(tmpdir(), 'case-store-')), 'session-1')
}

describe('CaseStore', () => {
  it('writes one file per case under .cases/<sessionId>/ and reads them back in start order', async () => {
    const store = await freshStore()
    expect(store.dir).toMatch(/\.cases\/session-1$/)
    const late = buildCase({ id: 'b/late', startedAtMs: 2000, runs: [] })
    const early = buildCase({ id: 'a', startedAtMs: 1000, runs: [buildRun()] })
    await store.write(late)
    await store.write(early)
    const { cases, corrupt } = await store.readAll()
    expect(cases.map((c) => c.id)).toEqual(['a', 'b/late'])
    expect(corrupt).toEqual([])
    expect((await readdir(store.dir)).sort()).toEqual(['a.json', 'b_late.json']) // no temp files left behind
  })
  it('replaces a case written twice', async () => {
    const store = await freshStore()
    await store.write(buildCase({ id: 'x', status: 'error', error: 'first' }))
    await store.write(buildCase({ id: 'x', status: 'error', error: 'second' }))
    expect((await store.readAll()).cases.map((c) => c.error)).toEqual(['second'])
  })
  it('skips and names corrupt or invalid files', async () => {
    const store = await freshStore()
    await store.write(buildCase({ id: 'good' }))
    await writeFile(join(store.dir, 'truncated.json'), '{"id": "half')
    await writeFile(join(store.dir, 'invalid.json'), JSON.stringify({ id: 'x' }))
    const { cases, corrupt } = await store.readAll()
    expect(cases.map((c) => c.id)).toEqual(['good'])
    expect(corrupt.map((c) => c.file.split('/').pop())).toEqual(['invalid.json', 'truncated.json'])
    expect(corrupt[0]?.reason).toMatch(/title/)
  })
  it('refuses to store an invalid case, naming it', async () => {
    const store = await freshStore()
    const bad = { ...buildCase({ id: 'bad' }), kind: 'nonsense' } as unknown as Parameters<CaseStore['write']>[0]
    await expect(store.write(bad)).rejects.toThrow(/case "bad" is not a valid CaseResult: kind/)
  })
  it('reads an empty (missing) store as no cases', async () => {
    expect(await (await freshStore()).readAll()).toEqual({ cases: [], corrupt: [] })
  })
  it('maps ids to safe file names', () => {
    expect(caseFileName('scaling > 4 GPUs')).toBe('scaling_4_GPUs.json')
    expect(caseStoreDir('/r', 's')).toBe('/r/.cases/s')
  })
})
