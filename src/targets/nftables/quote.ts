/**
 * nftables quoting: a double-quoted string (a rule's `comment "…"`, an interface name). nft's scanner takes
 * everything up to the next double quote, with no escape for one inside (nftables src/scanner.l, `quotedstring`:
 * `\"[^"]*\"`), and refuses a comment longer than 128 bytes ("comment too long, 128 characters maximum allowed",
 * NFTNL_UDATA_COMMENT_MAXLEN; checked with nft 1.0.6). So a control character or a double quote is refused (no
 * intent value can bring one: comments are built from names), and a long comment is cut at 128 bytes, never
 * inside a character.
 */
import { refuseControl } from "../../render/quote.js";

/** The most bytes nft takes in a comment. */
export const NFT_COMMENT_BYTES = 128;

const UTF8 = new TextEncoder();

export function nftString(value: string): string {
  refuseControl(value, "nftables");
  if (value.includes('"')) throw new Error("internal: a double quote reached an nftables string");
  let clipped = "";
  let bytes = 0;
  for (const c of value) {
    bytes += UTF8.encode(c).length;
    if (bytes > NFT_COMMENT_BYTES) break;
    clipped += c;
  }
  return `"${clipped}"`;
}
