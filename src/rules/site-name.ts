import { basename } from "node:path";
import { defineRule } from "./rule.js";

/** sites/<site>.yaml holds site <site>: out/<site>/ and the file can always be found from each other. */
export const siteName = defineRule({
  code: "SW100",
  name: "site-name",
  description: "The site name equals the file name.",
  severity: "error",
  messages: { mismatch: "site '{{site}}' is in file '{{file}}'; the site name must equal the file name" },
  check({ source, intent }, report) {
    const file = basename(source.path).replace(/\.ya?ml$/, "");
    if (file !== intent.site)
      report("mismatch", ["site"], { site: intent.site, file: basename(source.path) }, { hint: `rename the file to ${intent.site}.yaml or set site: ${file}` });
  },
});
