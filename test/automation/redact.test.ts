import { Redactor } from "../../automation/redact";

describe("Redactor: passphrases and tokens", () => {
  it("hides a token shorter than the minimum length of other values", () => {
    // given
    const r = new Redactor();
    // when
    r.registerTokens({ PULUMI_CONFIG_PASSPHRASE: "pw1" });
    // then
    expect(r.redact("passphrase=pw1")).toBe("passphrase=[redacted]");
  });

  it("for a command that reads no token (silkroute plan), hides only those of 6 or more characters, as values of unknown nature", () => {
    // given a short passphrase, which names in a plan contain (`dev`), and a long token
    const r = new Redactor();
    // when
    r.registerTokens(
      { PULUMI_CONFIG_PASSPHRASE: "dev", GITHUB_TOKEN: "ghp_exampleToken01" },
      false,
    );
    // then
    expect(r.redact("silkroute-deploy-dev-us-east-1 ghp_exampleToken01")).toBe(
      "silkroute-deploy-dev-us-east-1 [redacted]",
    );
  });

  it("hides a secret registered as such whatever its length", () => {
    // given
    const r = new Redactor();
    // when
    r.registerSecret("k9");
    // then
    expect(r.redact("key k9.")).toBe("key [redacted].");
  });

  it("still ignores short values not known to be secrets", () => {
    // given
    const r = new Redactor();
    // when
    r.register("dev");
    // then
    expect(r.redact("dev-china")).toBe("dev-china");
  });

  it("hides GITHUB_TOKEN trimmed, as the comment module sends it, not only as set", () => {
    // given: a token stored with a trailing newline
    const r = new Redactor();
    // when
    r.registerTokens({ GITHUB_TOKEN: " ghp_exampleToken0123456789\n" });
    // then
    expect(r.redact("Authorization: Bearer ghp_exampleToken0123456789")).toBe(
      "Authorization: Bearer [redacted]",
    );
  });

  it("hides the raw value too, blanks included", () => {
    // given
    const r = new Redactor();
    // when
    r.registerSecret("tok en\n");
    // then
    expect(r.redact('{"t":"tok en\\n"}')).toBe('{"t":"[redacted]"}');
  });

  it("registers nothing for an empty or all-blank value", () => {
    // given
    const r = new Redactor();
    // when
    r.registerTokens({ GITHUB_TOKEN: "", GH_TOKEN: "  " });
    // then
    expect(r.redact("a  b")).toBe("a  b");
  });
});
