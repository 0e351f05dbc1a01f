/** The shape every CLI command has; commands are listed in ./commands/index.ts. */

export interface CliIo {
  stdout: NodeJS.WriteStream
  stderr: NodeJS.WriteStream
  /** Cancelled on Ctrl-C. */
  signal: AbortSignal
}

export interface CliCommand {
  name: string
  /** One line for the command list. */
  summary: string
  /** Full `--help` text. */
  help: string
  /** Resolves to the exit code. Throws CliError for fatal problems the user can fix. */
  run(args: string[], io: CliIo): Promise<number>
}

/** A fatal, expected error: printed as one line, without a stack trace unless --verbose. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message)
    this.name = 'CliError'
  }
}

/** Wrong arguments: exit code 2, with a pointer to --help. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2)
    this.name = 'UsageError'
  }
}
