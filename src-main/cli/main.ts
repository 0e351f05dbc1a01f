/**
 * `npm run cli -- <command> [options]`: the headless entry point. Dispatches to the commands
 * in ./commands/index.ts, turns CliError into a one-line message and an exit code, and turns
 * Ctrl-C into a cancellation the running command can finish cleanly.
 */
import { environmentWords } from './cli-language'
import { CliError, UsageError, type CliCommand } from './command'
import { commands } from './commands'

function overview(): string {
  const width = Math.max(...commands.map((command) => command.name.length))
  return [
    'Usage: retina-workbench <command> [options]',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Run `<command> --help` for the options of a command.',
  ].join('\n')
}

async function main(argv: string[]): Promise<number> {
  const words = environmentWords()
  const [name, ...args] = argv
  const verbose = args.includes('--verbose')
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${overview()}\n`)
    return name === undefined ? 2 : 0
  }
  const command: CliCommand | undefined = commands.find((candidate) => candidate.name === name)
  if (!command) {
    process.stderr.write(`error: unknown command "${name}"\n\n${overview()}\n`)
    return 2
  }
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${command.help}\n`)
    return 0
  }

  const controller = new AbortController()
  let interrupts = 0
  const onInterrupt = () => {
    // The first Ctrl-C cancels cleanly; a second one gives up at once.
    if (++interrupts > 1) process.exit(130)
    process.stderr.write(`\n${words.say('cli.cancelling')}\n`)
    controller.abort(new DOMException('cancelled by the user', 'AbortError'))
  }
  process.on('SIGINT', onInterrupt)
  try {
    return await command.run(args, { stdout: process.stdout, stderr: process.stderr, signal: controller.signal })
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') {
      process.stderr.write(`${words.say('cli.cancelled')}\n`)
      return 130
    }
    process.stderr.write(`${words.say('cli.error', { message: words.errorText(error) })}\n`)
    if (error instanceof UsageError) process.stderr.write(`${words.say('cli.usage', { command: command.name })}\n`)
    if (verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`)
    return error instanceof CliError ? error.exitCode : 1
  } finally {
    process.off('SIGINT', onInterrupt)
  }
}

process.exitCode = await main(process.argv.slice(2))
