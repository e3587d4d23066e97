import { refuseControl } from "../../render/quote.js";

/** Text after `!` or in `description` on Cisco IOS: printable ASCII only, at most 200 characters. */
export function iosText(value: string): string {
  refuseControl(value, "IOS");
  return [...value].map((c) => (c >= " " && c <= "~" && c !== "?" ? c : "_")).join("").slice(0, 200);
}
