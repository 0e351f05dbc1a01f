/** Small pieces of CLI wording shared by the commands. */

/** `1 image`, `2 images`, `0 images`. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`
}

/** A file system error in words ("does not exist"), not an errno code. */
export function describeFileError(error: unknown): string {
  switch ((error as { code?: unknown }).code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return 'it does not exist'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'ELOOP':
      return 'too many symbolic links'
    case 'EIO':
      return 'a disk input/output error'
    default:
      return error instanceof Error ? error.message : String(error)
  }
}
