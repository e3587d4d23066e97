import { testRule } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { tunnelSite } from "../../test/fixtures/rules/sites.js";
import { secretFileLocation } from "./secret-file-location.js";

const IKE = "{ proposals: [aes256-sha256-modp3072] }";
const ESP = "{ proposals: [aes256-sha256] }";
/** tunnelSite with its `psk: { env: T1_PSK }` replaced. */
const withPsk = (psk: string, extra = "") => tunnelSite(IKE, ESP, extra).replace("psk: { env: T1_PSK }", `psk: ${psk}`);

testRule(secretFileLocation, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "an environment variable", site: withPsk("{ env: T1_PSK }") },
    { name: "an absolute path outside the repository", site: withPsk("{ file: /run/secrets/t1-psk }") },
  ],
  invalid: [
    {
      name: "a file under sites/ and a relative path in an override",
      site: withPsk("{ file: sites/t1.psk }", "    overrides:\n      r1: { psk: { file: secrets/r1.psk } }\n"),
      errors: [
        { at: "11:18", token: "sites/t1.psk", messageId: "inRepository", data: { file: "sites/t1.psk", owner: "tunnel 't1'", folder: "sites" }, hint: "keep it outside the repository, e.g. /run/secrets/t1-psk, or use env:" },
        { at: "15:26", token: "secrets/r1.psk", messageId: "relative", data: { file: "secrets/r1.psk", owner: "tunnel 't1' on 'r1'" }, hint: "keep it outside the repository, e.g. /run/secrets/t1-psk, or use env:" },
      ],
    },
    {
      name: "./out/ is the repository too; an error under --strict",
      strict: true,
      site: withPsk("{ file: ./out/t1.psk }"),
      errors: [
        { at: "11:18", token: "./out/t1.psk", messageId: "inRepository", data: { file: "./out/t1.psk", owner: "tunnel 't1'", folder: "out" }, hint: "keep it outside the repository, e.g. /run/secrets/t1-psk, or use env:" },
      ],
    },
  ],
});
