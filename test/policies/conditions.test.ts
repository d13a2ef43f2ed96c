import { valueKey } from "../../automation/policies/conditions";

/*
 * decide() and relevantTo() remember answers under keys made of request
 * values joined without separators: each value's text must say where it ends.
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
