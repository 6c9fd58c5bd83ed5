import { z } from 'zod'

/**
 * A run folder left without result.json by a harness that is gone (killed, crashed, machine reset): found by the
 * next harness run, which ends whatever of it still ran and marks the folder abandoned (`abandoned.json`).
 */
export const AbandonedRunSchema = z.object({
  runDir: z.string(),
  /** When the folder was made (its command.json), epoch ms; null when even that is missing. */
  startedAtMs: z.number().nullable(),
  /** The harness process that started it, when recorded. */
  harnessPid: z.number().int().nullable(),
  /** Processes of the run that were still alive and were ended now (pids), supervisor and pipeline group. */
  endedPids: z.array(z.number().int()),
  /** What the folder tells about how far it got, e.g. "pipeline exited 0 at …; no result written". */
  note: z.string(),
  foundAtMs: z.number(),
})
export type AbandonedRun = z.infer<typeof AbandonedRunSchema>
