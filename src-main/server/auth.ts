import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { HTTP_TOKEN_QUERY } from '@shared/api/wire'

/** 32 random bytes, URL-safe: unguessable, and printed only in the address on the console. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url')
}

function sameToken(candidate: string | null | undefined, token: string): boolean {
  if (candidate === undefined || candidate === null) return false
  const given = Buffer.from(candidate)
  const expected = Buffer.from(token)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

function bearerToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null
  return match?.[1]
}

/**
 * What the server makes of a request's address and credentials:
 * - `app`: the path began with `/<token>/` (the page, its assets, and everything the page
 *   asks for, which all lives under that prefix); `path` is the rest, starting with `/`;
 * - `header`: `Authorization: Bearer <token>` on an unprefixed path (scripts, curl);
 * - `add-slash`: exactly `/<token>`; the page needs the trailing slash for its relative URLs;
 * - `legacy-query`: `/?token=<token>`, the form of address printed by earlier versions;
 * - `refused`: no valid token anywhere. `path` is then the path as asked.
 *
 * The token lives in the path rather than in a cookie because browsers send a cookie to every
 * port of a host: another local web service the user opens would receive it.
 */
export interface RequestAccess {
  kind: 'app' | 'header' | 'add-slash' | 'legacy-query' | 'refused'
  path: string
}

export function classifyRequest(request: IncomingMessage, url: URL, token: string): RequestAccess {
  const pathname = url.pathname
  const secondSlash = pathname.indexOf('/', 1)
  const firstSegment = secondSlash < 0 ? pathname.slice(1) : pathname.slice(1, secondSlash)
  if (sameToken(firstSegment, token)) {
    return secondSlash < 0 ? { kind: 'add-slash', path: '/' } : { kind: 'app', path: pathname.slice(secondSlash) }
  }
  if (sameToken(bearerToken(request), token)) return { kind: 'header', path: pathname }
  if (pathname === '/' && sameToken(url.searchParams.get(HTTP_TOKEN_QUERY), token)) {
    return { kind: 'legacy-query', path: pathname }
  }
  return { kind: 'refused', path: pathname }
}

/** The request's address with the token blanked out, for log lines. */
export function redactToken(text: string, token: string): string {
  return token === '' ? text : text.split(token).join('<token>')
}
