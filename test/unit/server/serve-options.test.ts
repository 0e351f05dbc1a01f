import { describe, expect, it } from 'vitest'
import { DEFAULT_PORT, LOOPBACK_HOST, parseServeOptions } from '../../../src-main/server/serve-options'

describe('parseServeOptions', () => {
  it('defaults to the loopback address and port 7420', () => {
    const options = parseServeOptions([], {})
    expect(options).toMatchObject({ port: DEFAULT_PORT, host: LOOPBACK_HOST, hostFromFlag: false })
    expect(DEFAULT_PORT).toBe(7420)
  })

  it('reads --port, --host and --user-data in both spellings', () => {
    expect(parseServeOptions(['--port', '0', '--host', '0.0.0.0', '--user-data', '/data/rw'], {})).toMatchObject({
      port: 0,
      host: '0.0.0.0',
      hostFromFlag: true,
      userDataDir: '/data/rw',
    })
    expect(parseServeOptions(['--port=8080', '--user-data=/x'], {})).toMatchObject({ port: 8080, userDataDir: '/x' })
  })

  it('takes the user data folder from RW_USER_DATA unless a flag overrides it', () => {
    expect(parseServeOptions([], { RW_USER_DATA: '/env/data' }).userDataDir).toBe('/env/data')
    expect(parseServeOptions(['--user-data', '/flag'], { RW_USER_DATA: '/env/data' }).userDataDir).toBe('/flag')
  })

  it.each([
    [['--port', 'abc'], /--port must be an integer/],
    [['--port', '70000'], /--port must be an integer/],
    [['--port', '-1'], /--port must be an integer/],
    [['--port'], /--port needs a value/],
    [['--host'], /--host needs a value/],
    [['--verbose'], /Unknown option "--verbose"/],
    [['serve'], /Unknown option "serve"/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseServeOptions(argv, {})).toThrow(message)
  })
})
