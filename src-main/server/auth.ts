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

/** Where a valid token was found, or undefined when the request is not authorised. */
export function authenticate(request: IncomingMessage, url: URL, token: string): TokenSource | undefined {
  if (sameToken(bearerToken(request), token)) return 'header'
  if (sameToken(url.searchParams.get(HTTP_TOKEN_QUERY) ?? undefined, token)) return 'query'
  if (sameToken(readCookie(request, HTTP_TOKEN_COOKIE), token)) return 'cookie'
  return undefined
}

/**
 * HttpOnly so page scripts cannot read it, SameSite=Strict so other sites cannot make the
 * browser send it; lets <img> tags and EventSource authenticate without the token in URLs.
 */
export function tokenCookie(token: string): string {
  return `${HTTP_TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`
}
