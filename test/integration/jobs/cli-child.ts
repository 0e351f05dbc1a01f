/** The real CLI in a child process, with its stderr read line by line as it comes. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { join } from 'node:path'
import { repoRoot } from './project-fixture'

export interface CliChild {
  process: ChildProcessWithoutNullStreams
  /** Resolves once `count` stderr lines matching `pattern` have been printed (rejects if the process ends first). */
  waitForLines(pattern: RegExp, count: number): Promise<void>
  /** Exit code (null when killed by a signal), signal, and everything printed. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>
}

export function spawnCli(args: string[]): CliChild {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src-main/cli/main.ts'), ...args], { cwd: repoRoot })
  let stdout = ''
  let stderr = ''
  let closed = false
  const waiters: Array<{ pattern: RegExp; count: number; resolve: () => void; reject: (error: Error) => void }> = []
  const check = () => {
    const lines = stderr.split('\n')
    for (const waiter of [...waiters]) {
      if (lines.filter((line) => waiter.pattern.test(line)).length >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve()
      }
    }
  }
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
    check()
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => {
      closed = true
      for (const waiter of waiters.splice(0)) waiter.reject(new Error(`the CLI ended before printing ${waiter.count} lines matching ${waiter.pattern}:\n${stderr}`))
      resolve({ code, signal, stdout, stderr })
    })
  })
  return {
    process: child,
    waitForLines: (pattern, count) =>
      new Promise<void>((resolve, reject) => {
        waiters.push({ pattern, count, resolve, reject })
        check()
        const waiter = waiters.at(-1)
        if (closed && waiter?.pattern === pattern) {
          waiters.pop()
          reject(new Error(`the CLI ended before printing ${count} lines matching ${pattern}:\n${stderr}`))
        }
      }),
    exited,
  }
}

export async function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return spawnCli(args).exited
}
