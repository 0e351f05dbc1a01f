import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { HTTP_TOKEN_COOKIE, HTTP_TOKEN_QUERY } from '@shared/api/wire'

/** 32 random bytes, URL-safe: unguessable, and printed only in the URL on the console. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url')
}

function sameToken(candidate: string | undefined, token: string): boolean {
  if (candidate === undefined) return false
  const given = Buffer.from(candidate)
  const expected = Buffer.from(token)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

export function readCookie(request: IncomingMessage, name: string): string | undefined {
  const header = request.headers.cookie
  if (!header) return undefined
  for (const part of header.split(';')) {
    const separator = part.indexOf('=')
    if (separator < 0) continue
    if (part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim()
  }
  return undefined
}

function bearerToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null
  return match?.[1]
}

export type TokenSource = 'header' | 'query' | 'cookie'

/**
 * The cookie's name includes the port the server listens on: browsers scope cookies by host,
 * not port, so two servers on 127.0.0.1 would otherwise overwrite each other's token.
 */
export function tokenCookieName(port: number): string {
  return `${HTTP_TOKEN_COOKIE}_${port}`
}

/** Where a valid token was found, or undefined when the request is not authorised. */
export function authenticate(request: IncomingMessage, url: URL, token: string): TokenSource | undefined {
  if (sameToken(bearerToken(request), token)) return 'header'
  if (sameToken(url.searchParams.get(HTTP_TOKEN_QUERY) ?? undefined, token)) return 'query'
  if (sameToken(readCookie(request, tokenCookieName(request.socket.localPort ?? 0)), token)) return 'cookie'
  return undefined
}

/**
 * HttpOnly so page scripts cannot read it, SameSite=Strict so other sites cannot make the
 * browser send it; lets <img> tags and EventSource authenticate without the token in URLs.
 * SameSite does not separate ports, so requests from other local origins are refused by
 * checkRequestOrigin, not by the cookie.
 */
export function tokenCookie(token: string, port: number): string {
  return `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`
}
