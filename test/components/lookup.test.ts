import { codeBuildPolicy } from "../../components/iam/policyDocuments";
import { entryOf, firstOf, itemAt, mapValues } from "../../components/lookup";
import { P } from "../helpers/policyInputs";

describe("lookups the program relies on", () => {
  it("names the missing key and the keys there are", () => {
    const providers = { "us-east-1": "p1", "eu-west-1": "p2" };
    expect(entryOf(providers, "eu-west-1", "the provider of Region")).toBe("p2");
    expect(() => entryOf(providers, "ap-south-1", "the provider of Region")).toThrow(
      "the provider of Region ap-south-1 is missing (there are: us-east-1, eu-west-1)",
    );
    expect(() => entryOf({}, "dev", "the deploy role of environment")).toThrow(/there are: none/);
  });

  it("refuses an empty list and an index past its end", () => {
    expect(firstOf(["us-east-1"], "globalRegions")).toBe("us-east-1");
    expect(() => firstOf([], "dev's globalRegions")).toThrow("dev's globalRegions is empty");
    expect(() => itemAt(["a"], 1, "app policy")).toThrow("app policy 2 is missing (there are 1)");
  });

  it("maps values keeping keys and their order", () => {
    expect(Object.entries(mapValues({ b: 1, a: 2 }, (n) => n * 10))).toEqual([
      ["b", 10],
      ["a", 20],
    ]);
  });

  it("a pipeline Region without an artifact store fails the CodeBuild policy by name, never an undefined ARN", () => {
    // given CodeBuild in ap-south-1, where no artifact bucket was given
    const inputs = { ...P, region: "ap-south-1" };
    // then
    expect(() => codeBuildPolicy(inputs)).toThrow(
      /the artifact bucket of Region ap-south-1 is missing \(there are: us-east-1, eu-west-1\)/,
    );
    expect(JSON.stringify(codeBuildPolicy(P))).not.toContain("undefined");
  });
});
