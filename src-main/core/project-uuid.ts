/**
 * The uuid form every project gets at creation; anything else in a project file is refused.
 * Below both projects (which check it on opening) and images (whose thumbnail cache is
 * keyed by it).
 */
export function isProjectUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
}
