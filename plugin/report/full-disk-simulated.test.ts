/** The full-disk path without a tmpfs: `writeFile` fails with ENOSPC (as the kernel reports it) once the disk "fills". */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'

const disk = vi.hoisted(() => ({ full: false }))
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>()
  return {
    ...real,
    writeFile: (async (...args: Parameters<typeof real.writeFile>) => {
      if (disk.full) throw Object.assign(new Error(`ENOSPC: no space left on device, write`), { code: 'ENOSPC', errno: -28, syscall: 'write' })
      return real.writeFile(...args)
    }) as typeof real.writeFile,
  }
})

const { CaseStore } = await import('./case-store.ts')
const { regenerateReports } = await import('./regenerate.ts')
const { buildCase } = await import('../test-support/builders.ts')

const reportsDir = mkdtempSync(path.join(tmpdir(), 'enospc-'))
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }))

describe('a simulated ENOSPC while writing reports', () => {
  it('fails with a clear error naming the file, leaves no temporary file, and keeps the finished cases', async () => {
    const store = CaseStore.forSession(reportsDir, 's')
    await store.write(buildCase({ id: 'finished' }))
    disk.full = true
    const options = { store, reportsDir, stamp: '20261201-100000', suite: 'bench', createdAt: '2026-12-01T10:00:00.000Z', complete: true, strict: false, config: {} }
    await expect(regenerateReports(options)).rejects.toThrow(/^could not write .*: ENOSPC: no space left on device/)
    disk.full = false
    expect((await store.readAll()).cases.map((c) => c.id)).toEqual(['finished'])
    const { readdirSync } = await import('node:fs')
    expect(readdirSync(reportsDir).filter((n) => n.includes('.tmp-'))).toEqual([])
  })
})
