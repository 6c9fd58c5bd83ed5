/**
 * The harness's side of the lifeline supervisor (supervisor.py, documented in README.md): its argv, and its status
 * file read back into a typed record. The supervisor sits between the harness and the pipeline, holds the read end
 * of a pipe whose write end only the harness holds, and stops the pipeline's process group when that pipe closes.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { LeftoverProcessSchema } from '../model/run-evidence.ts'

export const SUPERVISOR_SCRIPT = fileURLToPath(new URL('./supervisor.py', import.meta.url))

/** File name of the supervisor's status inside a run folder. */
export const SUPERVISOR_STATUS_FILE = 'supervisor.json'

const IdentitySchema = z.object({ pid: z.number().int().positive(), startTime: z.number().int().nullable() })

export const SupervisorStatusSchema = z.object({
  schema: z.literal('virnucpro-supervisor/1'),
  supervisor: IdentitySchema.extend({ startedAtMs: z.number() }),
  command: z.array(z.string()),
  graceSeconds: z.number(),
  lifeline: z.enum(['stdin', 'none']),
  watchPids: z.array(z.number().int()),
  /** The command's leader; it leads its own process group (pgid = pid). */
  pipeline: IdentitySchema.extend({ pgid: z.number().int().positive(), spawnedAtMs: z.number() }).nullable(),
  exit: z.object({ code: z.number().int().nullable(), signal: z.string().nullable(), atMs: z.number() }).nullable(),
  /** Why and when the supervisor stopped the group, and whether SIGKILL was needed after the grace period. */
  stop: z.object({ reason: z.string(), atMs: z.number(), killed: z.boolean(), killedAtMs: z.number().optional() }).nullable(),
  /** Processes of the group that outlived the leader and were stopped. */
  leftovers: z
    .object({
      atMs: z.number(),
      killed: z.boolean(),
      goneAtMs: z.number().optional(),
      /** How long they were given to exit on their own, and who was still alive then. */
      waitedSeconds: z.number().optional(),
      processes: z.array(LeftoverProcessSchema).default([]),
    })
    .nullable(),
  /** The command could not be started. */
  error: z.string().nullable(),
})
export type SupervisorStatus = z.infer<typeof SupervisorStatusSchema>

export interface SupervisedCommand {
  /** The interpreter that runs supervisor.py (any Python 3; standard library only). */
  python: string
  command: readonly string[]
  graceSeconds: number
  statusFile: string
  /** Seconds processes of the group may outlive the leader before they count as left over. */
  leftoverWaitSeconds?: number
  /** SIGTERM → SIGKILL for processes left over. */
  leftoverGraceSeconds?: number
  /** 'none' inside a batch job: nobody holds the pipe there; scancel's SIGTERM and the job's end stop the group. */
  lifeline?: 'stdin' | 'none'
  /** Further processes whose end stops the run, e.g. the Vitest main process when the harness runs in a worker. */
  watch?: readonly { pid: number; startTime: number | null }[]
}

/** argv that runs `command` under the supervisor with the harness's stdin as its lifeline. */
export function supervisedArgv(spec: SupervisedCommand): { file: string; args: string[] } {
  const args = [SUPERVISOR_SCRIPT, '--grace', String(spec.graceSeconds), '--status', spec.statusFile]
  if (spec.lifeline !== undefined) args.push('--lifeline', spec.lifeline)
  if (spec.leftoverWaitSeconds !== undefined) args.push('--leftover-wait', String(spec.leftoverWaitSeconds))
  if (spec.leftoverGraceSeconds !== undefined) args.push('--leftover-grace', String(spec.leftoverGraceSeconds))
  for (const w of spec.watch ?? []) args.push('--watch-pid', w.startTime === null ? String(w.pid) : `${w.pid}:${w.startTime}`)
  args.push('--', ...spec.command)
  return { file: spec.python, args }
}

/** The status a supervisor left in a run folder; null when there is none or it cannot be read. */
export async function readSupervisorStatus(runDir: string): Promise<SupervisorStatus | null> {
  let text: string
  try {
    text = await readFile(path.join(runDir, SUPERVISOR_STATUS_FILE), 'utf8')
  } catch {
    return null
  }
  try {
    const parsed = SupervisorStatusSchema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}
