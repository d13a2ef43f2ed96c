import type { Identity } from "./identity";
import type { Inputs, Placement } from "./resources";
import type { DoubleStore } from "./store";
import { reveal, secret, Wire } from "./values";

/**
 * The functions (invokes) silkroute's programs call, answered as the provider
 * would from where it is signed in; any other token fails, naming it, so an
 * invoke a change adds cannot pass unanswered.
 */
export function answer(
  token: string,
  inputs: Inputs,
  me: Placement,
  identity: Identity,
  store: DoubleStore,
): Record<string, Wire> {
  switch (token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        accountId: me.account,
        arn: identity.arn,
        userId: identity.userId,
        id: me.account,
      };
    case "aws:index/getPartition:getPartition":
      return {
        partition: me.partition,
        dnsSuffix: me.dnsSuffix,
        reverseDnsPrefix: me.dnsSuffix.split(".").reverse().join("."),
        id: me.partition,
      };
    case "aws:index/getRegion:getRegion":
      return {
        name: me.region,
        region: me.region,
        endpoint: `ec2.${me.region}.${me.dnsSuffix}`,
        description: me.region,
        id: me.region,
      };
    case "aws:ssm/getParameter:getParameter": {
      const name = reveal(inputs.name) as string;
      const stored = store.getParameter(me.account, me.region, name);
      if (!stored) {
        throw new Error(
          `reading SSM Parameter (${name}): ParameterNotFound: in account ${me.account}, ${me.region}`,
        );
      }
      const decrypt = reveal(inputs.withDecryption) !== false;
      const shown = stored.type === "SecureString" && !decrypt ? "[encrypted]" : stored.value;
      return {
        arn: stored.arn,
        id: name,
        name,
        region: me.region,
        type: stored.type,
        value: secret(shown),
        insecureValue: stored.type === "SecureString" ? "" : stored.value,
        version: stored.version,
        withDecryption: decrypt,
      };
    }
  }
  throw new Error(
    `the AWS provider double does not answer ${token}: add it to test/engine/awsDouble/functions.ts`,
  );
}
