import { conditionTest, valueKey } from "../../automation/policies/conditions";

/*
 * decide() and relevantTo() remember answers under keys made of request
 * values joined without separators: each value's text must say where it ends.
 * The engine is handed statements without the condition entries certain to
 * hold (handed.ts): only those may be named.
 */

describe("valueKey", () => {
  it("tells apart every two sequences of values that differ", () => {
    const sequences: (string | string[] | undefined)[][] = [
      ["ab", "c"],
      ["a", "bc"],
      ["abc"],
      [["ab", "c"]],
      [["a", "bc"]],
      [["abc"]],
      [[]],
      [""],
      [],
      [undefined],
      ["-"],
      ["1:a"],
      ["a", undefined],
      [["a"], undefined],
      ["[1:1:a"],
    ];
    const keys = sequences.map((values) => values.map(valueKey).join(""));
    expect(new Set(keys).size).toBe(sequences.length);
  });
});

describe("the condition entries certain to hold", () => {
  const context = new Map<string, string | readonly string[]>([
    ["aws:requestedregion", "us-east-1"],
    ["kms:viaservice", "ssm.us-east-1.amazonaws.com"],
    ["aws:tagkeys", ["team"]],
  ]);
  const holding = (condition: object) =>
    conditionTest(condition)
      .holding(context)
      .map((e) => `${e.operator} ${e.key}`);

  it("are a StringEquals of plain values, one of them the key's single value", () => {
    expect(
      holding({
        StringEquals: { "aws:RequestedRegion": ["eu-west-1", "us-east-1"], "kms:ViaService": "x" },
        STRINGEQUALS: { "KMS:VIASERVICE": "ssm.us-east-1.amazonaws.com" },
      }),
    ).toEqual(["StringEquals aws:RequestedRegion", "STRINGEQUALS KMS:VIASERVICE"]);
  });

  it.each([
    ["another operator", { StringLike: { "aws:RequestedRegion": "us-east-1" } }],
    ["IfExists", { StringEqualsIfExists: { "aws:RequestedRegion": "us-east-1" } }],
    ["a negated operator", { StringNotEquals: { "aws:RequestedRegion": "eu-west-1" } }],
    ["a set operator", { "ForAnyValue:StringEquals": { "aws:RequestedRegion": "us-east-1" } }],
    ["a wildcard among the values", { StringEquals: { "aws:RequestedRegion": ["us-*", "x"] } }],
    ["a policy variable", { StringEquals: { "aws:RequestedRegion": "${aws:RequestedRegion}" } }],
    ["a key of many values", { StringEquals: { "aws:TagKeys": "team" } }],
    ["a key the request lacks", { StringEquals: { "aws:SourceVpc": "vpc-1" } }],
    ["a value the key's is not", { StringEquals: { "aws:RequestedRegion": "US-EAST-1" } }],
  ])("are none of %s", (_, condition) => {
    expect(holding(condition)).toEqual([]);
  });
});
