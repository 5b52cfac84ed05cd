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
