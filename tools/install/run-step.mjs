import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Repository root (this file lives in tools/install/). */
export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/**
 * Runs `node <script> ...args` and resolves to { ok, output }. Never rejects: install
 * steps report their own failure. Output is collected so a failure can be summarised in
 * one line instead of a wall of stack traces.
 */
export function runNodeScript(script, args = [], { cwd = projectRoot, env = {}, timeoutMs = 120_000, echo = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    const collect = (chunk) => {
      output += chunk.toString()
      if (echo) process.stderr.write(chunk)
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    const timer = setTimeout(() => {
      output += `\n(timed out after ${Math.round(timeoutMs / 1000)} s)`
      child.kill('SIGKILL')
    }, timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      resolve({ ok: false, output: `${output}\n${error.message}` })
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ ok: code === 0, output })
    })
  })
}

/** The most telling line of a failed step's output, for a one-line summary. */
export function lastErrorLine(output) {
  const lines = output
    .split('\n')
    .map((line) => line.trim().replace(/^(gyp ERR! (stack )?|prebuild-install (warn|err!?) (install )?)/i, ''))
    .filter((line) => line && !line.startsWith('at '))
    .reverse()
  const network = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT/
  if (lines.some((line) => /network connectivity/.test(line))) return 'download failed: no network connection'
  const telling =
    lines.find((line) => /timed out/.test(line)) ??
    lines.find((line) => network.test(line) && !/^\w+:\s*'/.test(line)) ??
    lines.find((line) => /^\w*Error\b/.test(line)) ??
    lines.find((line) => /error|fail/i.test(line)) ??
    lines[0]
  return (telling ?? 'no output').slice(0, 200)
}

export function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'))
}

/** Path of the downloaded Electron executable, or undefined when it is not installed. */
export function electronExecutable() {
  const electronDir = join(projectRoot, 'node_modules', 'electron')
  const pathFile = join(electronDir, 'path.txt')
  if (!existsSync(pathFile)) return undefined
  const executable = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(executable) ? executable : undefined
}

/** The CUDA build of ONNX Runtime exists for these platforms only. */
export function cudaPlatformSupported() {
  return (process.platform === 'linux' || process.platform === 'win32') && process.arch === 'x64'
}
