import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Whether file permissions stop this process (they do not stop root with its usual
 * capabilities): tries to list a folder with mode 000. Tests of unreadable folders and files
 * skip, with this reason, where they cannot.
 */
export function permissionsBindThisProcess(): boolean {
  const folder = mkdtempSync(join(tmpdir(), 'rw-permission-probe-'))
  try {
    chmodSync(folder, 0o000)
    readdirSync(folder)
    return false
  } catch {
    return true
  } finally {
    chmodSync(folder, 0o700)
    rmSync(folder, { recursive: true, force: true })
  }
}

export const PERMISSIONS_DO_NOT_BIND = 'file permissions do not stop this process (root with its usual capabilities)'
