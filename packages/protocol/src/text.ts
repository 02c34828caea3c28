import { Type, type TObject, type TProperties, type TString } from 'typebox';

/**
 * Characters no request string may carry (ADR 0015): C0 and C1 control characters (NUL breaks
 * PostgreSQL text, the rest are never typed), and the bidirectional embeddings, overrides and
 * isolates (U+202A–U+202E, U+2066–U+2069), which reorder whatever is shown after them.
 */
const REFUSED = '\\u0000-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069';
/** The same, but a multi-line text keeps its tabs and line feeds. */
const REFUSED_IN_FREE_TEXT =
  '\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069';
/** What a name made of nothing else would show as: white space and invisible marks. */
const BLANK = '\\s\\u200B-\\u200F\\u2060-\\u2064\\u061C\\uFEFF';

/** The pattern of every single-line request string: no control or bidi-override character. */
export const LINE_PATTERN = `^[^${REFUSED}]*$`;
/** The pattern of a multi-line free text: no control character but tab and line feed. */
export const FREE_TEXT_PATTERN = `^[^${REFUSED_IN_FREE_TEXT}]*$`;
/** A single line with something visible in it. */
export const FILLED_LINE_PATTERN = `^(?![${BLANK}]*$)[^${REFUSED}]*$`;

/** One line of text, possibly empty (a relationship, a password, a sign-in e-mail). */
export function Line(maxLength: number, minLength = 0): TString {
  return Type.String({ minLength, maxLength, pattern: LINE_PATTERN });
}

/** One line with something visible in it (names, labels). */
export function FilledLine(maxLength: number): TString {
  return Type.String({ minLength: 1, maxLength, pattern: FILLED_LINE_PATTERN });
}

/** Text that may span lines (a shared-record entry). */
export function FreeText(maxLength: number): TString {
  return Type.String({ maxLength, pattern: FREE_TEXT_PATTERN });
}

/**
 * A request body: an object that refuses any property it does not name (no field is ever
 * silently dropped). The signal refuses at boot a route whose body schema allows more.
 */
export function Body<T extends TProperties>(
  properties: T,
  options: { readonly minProperties?: number } = {},
): TObject<T> {
  return Type.Object(properties, { ...options, additionalProperties: false });
}
