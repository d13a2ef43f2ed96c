import * as aws from "../../../components/aws";
import { getVpc } from "@pulumi/aws/ec2/getVpc";
import { getPartition } from "@pulumi/aws/getPartition";
import * as pulumi from "@pulumi/pulumi";
import { evaluate, providerFor } from "../../helpers/pulumi";

class Refuses extends pulumi.ComponentResource {
  constructor(name: string, opts: pulumi.ComponentResourceOptions) {
    super("test:index:Refuses", name, {}, opts);
    throw new pulumi.ResourceError(`${name} refuses its args`, this);
  }
}

describe("evaluate", () => {
  it("rejects with the error of a component that refuses its args", async () => {
    await expect(
      evaluate(() => {
        new Refuses("r", { provider: providerFor("us-east-1") });
        return {};
      }),
    ).rejects.toThrow("r refuses its args");
  });

  it("rejects with the error of a program that fails before creating anything", async () => {
    await expect(
      evaluate(async () => {
        throw new Error("config is bad");
      }),
    ).rejects.toThrow("config is bad");
  });

  it("fails a second resource of the same URN, as the engine does", async () => {
    const provider = providerFor("us-east-1");
    await expect(
      evaluate(() => {
        new aws.sns.Topic("twice", {}, { provider });
        new aws.sns.Topic("twice", {}, { provider });
        return {};
      }),
    ).rejects.toThrow(/Duplicate resource URN '.*aws:sns\/topic:Topic::twice'/);
  });

  it("fails loudly on an invoke it has no mock for", async () => {
    await expect(
      evaluate(async () => {
        await getVpc({}, { provider: providerFor("us-east-1") });
        return {};
      }),
    ).rejects.toThrow("unmocked invoke aws:ec2/getVpc:getVpc");
  });

  it("fails an invoke that has no explicit provider", async () => {
    await expect(
      evaluate(async () => {
        await getPartition({});
        return {};
      }),
    ).rejects.toThrow("invoke aws:index/getPartition:getPartition has no explicit provider");
  });

  it("evaluates again after a failure", async () => {
    await expect(evaluate(async () => ({ ok: true }))).resolves.toMatchObject({
      outputs: { ok: true },
    });
  });
});
