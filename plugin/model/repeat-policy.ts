/**
 * How many times a case runs the pipeline per GPU count: a policy instead of a bare count, modelled on hyperfine
 * (at least 10 runs and 3 s, plus warm-up runs) and perf_analyzer (measure until three windows agree within 10 %),
 * sized for pipeline runs: short runs are repeated until stable, long GPU runs stay at one.
 */
import { z } from 'zod'

const PositiveInt = z.number().int().positive()

export const RepeatPolicySchema = z
  .object({
    /** Measured runs always made per GPU count. */
    minRuns: PositiveInt.default(1),
    /** A run shorter than this (seconds, measured) is "short": repeated until stable. Longer runs stop at minRuns. */
    shortRunSeconds: z.number().positive().default(15),
    /**
     * Short runs get at least this many measured runs. 5 a side is the least a rank test can call significant; 8
     * keeps the median and the bootstrap interval steady when a burst of other load slows two runs (measured on a
     * shared 2-core machine: with 5, such a base hid a 30 % slowdown). hyperfine's minimum is 10.
     */
    shortMinRuns: PositiveInt.default(8),
    /** Never more measured runs than this per GPU count. */
    maxRuns: PositiveInt.default(12),
    /** Repeats beyond minRuns stop once the GPU count's runs (warm-up included) took this long, seconds. */
    budgetSeconds: z.number().positive().default(120),
    /** Short runs stop once the last `stableRuns` runs agree within `stableWithin` ((max − min) / median). */
    stableRuns: z.number().int().min(2).default(3),
    stableWithin: z.number().positive().default(0.1),
    /**
     * 'auto': the case's first run is a warm-up when it is short (repeating is cheap, and it pays the cold file
     * cache and lazy imports); a long first run is measured, since it may be the only one. 'always' / 'never'.
     */
    warmup: z.enum(['auto', 'always', 'never']).default('auto'),
  })
  .strict()
  .refine((p) => p.maxRuns >= p.minRuns, { message: 'maxRuns must be ≥ minRuns', path: ['maxRuns'] })
export type RepeatPolicy = z.infer<typeof RepeatPolicySchema>

/** What users write: a number is the minimum of measured runs, every other field at its default. */
export const RepeatsOptionSchema = z.union([PositiveInt, RepeatPolicySchema])
export type RepeatsOption = z.input<typeof RepeatsOptionSchema>
