/** Every CLI command. Adding one: write commands/<name>.ts exporting a CliCommand, list it here. */
import type { CliCommand } from '../command'
import { detectCommand } from './detect'
import { projectCommand } from './project'

export const commands: readonly CliCommand[] = [detectCommand, projectCommand]
