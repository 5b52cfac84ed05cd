/** An HTTP token (RFC 9110): what a header name may be made of. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Control characters other than tab; a newline or NUL in a header would split or end it. */
const CONTROL_CHARACTER = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/**
 * True when `value` holds a control character (newline, NUL, …) that cannot
 * be sent in a header.
 *
 * @example
 * hasControlCharacter("eyJ…\n"); // true
 */
export function hasControlCharacter(value: string): boolean {
  return CONTROL_CHARACTER.test(value);
}

/**
 * True when `name` can be sent as a header name.
 *
 * @example
 * isHeaderName("X-Tenant"); // true
 * isHeaderName("X Tenant"); // false
 */
export function isHeaderName(name: string): boolean {
  return HEADER_NAME.test(name);
}

/** A bearer token as it can be sent: visible ASCII only (no space, control or non-ASCII character), at most 8 KiB. */
const BEARER_TOKEN = /^[\x21-\x7e]{1,8192}$/;

/**
 * True when `token` can be sent as `Authorization: Bearer {token}`: 1 to
 * 8,192 visible ASCII characters, so that no header refuses it and no
 * newline splits it.
 *
 * @example
 * isBearerToken("eyJhbGciOi…"); // true
 * isBearerToken("eyJ…\r\nX-Evil: 1"); // false
 */
export function isBearerToken(token: string): boolean {
  return BEARER_TOKEN.test(token);
}
