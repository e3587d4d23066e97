/** sysctl.d files must be read as systemd-sysctl reads them. */
import { describe, expect, it } from "vitest";
import { readSysctl, sysctlStructure } from "./sysctl.js";

describe("sysctl.d", () => {
  it("reads key = value and -key = value; # and ; lines are comments", () => {
    expect(readSysctl("# c\n; c\nnet.ipv4.ip_forward = 1\n-net.ipv4.conf.tunnel1.rp_filter=2\n")).toEqual([
      { key: "net.ipv4.ip_forward", value: "1", ignoreErrors: false, line: 3 },
      { key: "net.ipv4.conf.tunnel1.rp_filter", value: "2", ignoreErrors: true, line: 4 },
    ]);
  });

  it("refuses a line that is not key = value", () => {
    expect(() => readSysctl("net.ipv4.ip_forward 1\n")).toThrow(/not a 'key = value'/);
    expect(sysctlStructure("x y\n").problems).toHaveLength(1);
  });

  it("shape: the key's depth and last part", () => {
    expect(sysctlStructure("net.ipv4.conf.eth0.rp_filter = 2\n").shape).toEqual(["set 5 rp_filter"]);
  });
});
