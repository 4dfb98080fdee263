// The XML scanner's states and fixed sizes, shared by scanner.ts (the common path) and markup.ts (the rare
// states).

import { utf8Bytes } from "./chars";

// The common path, tested in this order by Scanner.scan.
export const S_TEXT = 0;
export const S_LT = 1;
export const S_NAME = 2;
export const S_END_NAME = 3;
export const S_END_TAIL = 4;
export const S_TAG = 5;
export const S_ATTR_NAME = 6;
export const S_ATTR_EQ = 7;
export const S_ATTR_QUOTE = 8;
export const S_ATTR_VALUE = 9;
export const S_AFTER_VALUE = 10;
// Start tags closed by "/>" (common too).
export const S_EMPTY = 11;
export const S_BANG = 12;
export const S_COMMENT_OPEN = 13;
export const S_COMMENT = 14;
export const S_COMMENT_DASH = 15;
export const S_COMMENT_END = 16;
export const S_CDATA_OPEN = 17;
export const S_CDATA = 18;
export const S_CDATA_B1 = 19;
export const S_CDATA_B2 = 20;
export const S_PI_TARGET = 21;
export const S_PI_BODY = 22;
export const S_PI_Q = 23;
export const S_ENTITY = 24;
export const S_BOM = 25;

/** Bytes of the XML declaration kept for checking. */
export const DECLARATION_MAX = 256;
/** Bytes between '&' and ';' ("#x10FFFF" needs 8). */
export const ENTITY_MAX = 12;
export const CDATA_OPEN = utf8Bytes("CDATA[");
