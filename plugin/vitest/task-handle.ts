import { recordArtifact, TestRunner, type RunnerTestCase, type TestAnnotation } from 'vitest'
import type { Warning } from '../model/thresholds.ts'

/** A threshold miss recorded on a bench task (bench mode has no test context, so no `annotate`). */
export interface WarningArtifact {
  type: 'virnucpro:warning'
  message: string
  warning: Warning
}

declare module 'vitest' {
  interface TestArtifactRegistry {
    'virnucpro:warning': WarningArtifact
  }
}

type Annotate = (message: string, type?: string) => Promise<TestAnnotation>

/**
 * Where a case reports to: the Vitest task (for `meta`) and how to surface a soft warning. In test mode that is a
 * real `annotate(msg, 'warning')`; in bench mode Vitest 4 gives bench functions no context, so the warning is
 * recorded as a test artifact on the bench task, which our reporter prints and the reports list.
 */
export interface TaskHandle {
  task: RunnerTestCase
  warn(warning: Warning): Promise<void>
}

export function testTaskHandle(task: RunnerTestCase, annotate: Annotate): TaskHandle {
  return {
    task,
    warn: async (warning) => {
      await annotate(warning.message, 'warning')
    },
  }
}

export function benchTaskHandle(task: RunnerTestCase): TaskHandle {
  return {
    task,
    warn: async (warning) => {
      await recordArtifact(task, { type: 'virnucpro:warning', message: warning.message, warning })
    },
  }
}

/** The task that the `bench()` call just before this one declared: bench functions get no handle to their task. */
export function lastDeclaredTask(): RunnerTestCase {
  const task = TestRunner.getCurrentSuite().tasks.at(-1)
  if (task === undefined || task.type !== 'test') throw new Error('virnucpro: no bench task was declared in this suite')
  return task
}
