import { useProjectStore } from './project'

/** The file of the project this window shows, for the stores that drop other projects' run events. */
export function shownProjectFile(): string | null {
  return useProjectStore().current?.file ?? null
}
