import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { siteName } from "./site-name.js";

// The tester's sites live in sites/test.yaml.
testRule(siteName, {
  valid: [{ name: "site named like its file", site: yaml`site: test` }],
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
          message: "site 'other' is in file 'test.yaml'; the site name must equal the file name",
          hint: "rename the file to other.yaml or set site: test",
        },
      ],
    },
  ],
});
