import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { siteName } from "./site-name.js";

// The tester's sites live in sites/test.yaml.
testRule(siteName, {
  valid: [
    { name: "site named like its file", site: yaml`site: test` },
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
  ],
  invalid: [
    {
      name: "site named differently from its file",
      site: yaml`
        # a comment first
        site: other
      `,
      errors: [
        {
          at: "2:7",
          token: "other",
          messageId: "mismatch",
          data: { site: "other", file: "test.yaml" },
          hint: "rename the file to other.yaml or set site: test",
        },
      ],
    },
  ],
});
