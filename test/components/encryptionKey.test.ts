import {
  EncryptionKey,
  keyPolicy,
  validateEncryptionKeyArgs,
} from "../../components/encryptionKey";
import { decide } from "../../automation/policies/simulate";
import { iamAction } from "../../components/iam/iamData";
import { actionsOf, readsOnly } from "../helpers/iamInvariants";
import { evaluate, inputsOf, only, policyOf, providerFor } from "../helpers/pulumi";

const ACCOUNT = "123456789012";
const USERS = [`arn:aws:iam::${ACCOUNT}:role/a`, `arn:aws:iam::${ACCOUNT}:role/b`];
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

describe("EncryptionKey", () => {
  const program =
    (region = "us-east-1") =>
    () => {
      const provider = providerFor(region);
      const key = new EncryptionKey(
        "state",
        { aliasName: "team-state", userArns: USERS },
        { provider },
      );
      return { arn: key.arn, aliasName: key.aliasName, aliasArn: key.aliasArn, keyId: key.keyId };
    };

  it("turns automatic rotation on and keeps the 30-day deletion window", async () => {
    // given / when
    const stack = await evaluate(program());
    // then
    const key = inputsOf(only(stack, "aws:kms/key:Key"));
    expect(key.enableKeyRotation).toBe(true);
    expect(key.deletionWindowInDays).toBe(30);
    expect(key.description).toBe("silkroute team-state");
  });

  /** Decides a request on the key by its key policy and, for roles of the account, their own. */
  const mayUse = (
    keyPolicy: unknown,
    principal: string,
    action: string,
    identityPolicies: unknown[] = [],
  ) =>
    decide(
      { identityPolicies, resourcePolicy: keyPolicy },
      { principal, action, resource: KEY_ARN, resourceAccount: ACCOUNT },
    );
  /** An administrator of the account whose own policy allows all of KMS. */
  const ADMIN = `arn:aws:iam::${ACCOUNT}:role/administrator`;
  const ALL_OF_KMS = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }],
  };

  it("lets exactly the given roles use the key, for what S3 SSE-KMS asks of it", async () => {
    // given / when
    const stack = await evaluate(program());
    const policy = policyOf(only(stack, "aws:kms/key:Key"));
    // then: each user may encrypt a new object's data key and decrypt it again
    for (const user of USERS) {
      for (const action of ["kms:GenerateDataKey", "kms:Decrypt", "kms:Encrypt"]) {
        expect([user, action, mayUse(policy, user, action)]).toEqual([user, action, "Allowed"]);
      }
    }
    // and no other role, even one whose own policy allows all of KMS
    expect(mayUse(policy, ADMIN, "kms:Decrypt", [ALL_OF_KMS])).toBe("ImplicitlyDenied");
  });

  it("keeps use and administration apart: the users administer nothing, the account uses nothing", () => {
    // given
    const policy = keyPolicy("aws", ACCOUNT, USERS);
    const [admin, usage] = ["KeyAdministration", "KeyUsage"].map((sid) =>
      policy.Statement.find((s) => (s as { Sid: string }).Sid === sid),
    ) as { Action: string[] }[];
    // then: what both may do only reads the key's description
    const both = actionsOf([usage as never]).filter((a) => actionsOf([admin as never]).includes(a));
    expect(both.filter((a) => !readsOnly(a))).toEqual([]);
    // and an administrator of the account, allowed all of KMS by its own policy,
    // neither uses the key's material nor grants its use to anyone
    for (const action of [
      "kms:Decrypt",
      "kms:Encrypt",
      "kms:GenerateDataKey",
      "kms:ReEncryptFrom",
      "kms:CreateGrant",
    ]) {
      expect([action, mayUse(policy, ADMIN, action, [ALL_OF_KMS])]).toEqual([
        action,
        "ImplicitlyDenied",
      ]);
    }
  });

  it("keeps the key manageable by the account: its policy can be rewritten, a deletion cancelled, the key re-enabled", () => {
    const policy = keyPolicy("aws", ACCOUNT, USERS);
    for (const action of [
      "kms:PutKeyPolicy",
      "kms:CancelKeyDeletion",
      "kms:EnableKey",
      "kms:EnableKeyRotation",
    ]) {
      expect([action, mayUse(policy, ADMIN, action, [ALL_OF_KMS])]).toEqual([action, "Allowed"]);
    }
  });

  it("names only KMS actions on keys, no wildcard, in every form of the policy", () => {
    const forms = [
      keyPolicy("aws", ACCOUNT, USERS),
      keyPolicy("aws", ACCOUNT, [], true),
      keyPolicy("aws", ACCOUNT, USERS, false, [], {
        region: "us-east-1",
        bucketArn: "arn:aws:s3:::b",
      }),
    ];
    for (const statement of forms.flatMap((f) => f.Statement) as { Action: string[] }[]) {
      for (const action of statement.Action) {
        expect([action, iamAction(action)?.resourceTypes]).toEqual([
          action,
          expect.arrayContaining(["key"]),
        ]);
      }
    }
  });

  it("takes the root ARN from the provider's partition", async () => {
    const stack = await evaluate(program("cn-north-1"));
    const [admin] = policyOf(only(stack, "aws:kms/key:Key")).Statement;
    expect(admin.Principal).toEqual({ AWS: "arn:aws-cn:iam::210987654321:root" });
  });

  it("names the alias alias/<aliasName> and points it at the key", async () => {
    const stack = await evaluate(program());
    const alias = inputsOf(only(stack, "aws:kms/alias:Alias"));
    expect(alias.name).toBe("alias/team-state");
    expect(alias.targetKeyId).toBe(only(stack, "aws:kms/key:Key").id);
    expect(stack.outputs.aliasName).toBe("alias/team-state");
    expect(stack.outputs.aliasArn).toBe("arn:aws:kms:us-east-1:123456789012:alias/team-state");
  });

  it("exports the key's ARN and id", async () => {
    const stack = await evaluate(program());
    const key = only(stack, "aws:kms/key:Key");
    expect(stack.outputs.keyId).toBe(key.id);
    expect(stack.outputs.arn).toBe(key.state.arn);
  });

  it("leaves the usage statement out when no principal is given yet", () => {
    expect(keyPolicy("aws", ACCOUNT, []).Statement).toHaveLength(1);
  });

  it("lets IAM policies grant use only when asked to, and then only what the users may do", () => {
    // given a key whose users are granted by IAM policy (the SSM parameter key)
    const statements = keyPolicy("aws", ACCOUNT, [], true).Statement as {
      Sid: string;
      Principal: unknown;
      Action: string[];
    }[];
    const usage = keyPolicy("aws", ACCOUNT, USERS).Statement[1] as { Action: string[] };
    // then the account may delegate use, and nothing more than use
    expect(statements.map((s) => s.Sid)).toEqual(["KeyAdministration", "KeyUsageThroughIam"]);
    expect(statements[1].Principal).toEqual({ AWS: `arn:aws:iam::${ACCOUNT}:root` });
    expect(statements[1].Action).toEqual(usage.Action);
    expect(
      keyPolicy("aws", ACCOUNT, USERS).Statement.map((s) => (s as { Sid: string }).Sid),
    ).not.toContain("KeyUsageThroughIam");
    expect(
      validateEncryptionKeyArgs({ aliasName: "p", userArns: [], usableThroughIam: true }),
    ).toBe(undefined);
  });

  it.each([
    [
      { aliasName: "alias/x" },
      /aliasName is given without the alias\/ prefix, got alias\/x: use x/,
    ],
    [{ aliasName: "aws/s3" }, /aliasName must be .* not start with aws\//],
    [{ aliasName: "a b" }, /aliasName must be 1-250 letters/],
    [
      { deletionWindowInDays: 6 },
      /deletionWindowInDays must be a whole number from 7 to 30, got 6/,
    ],
    [
      { deletionWindowInDays: 31 },
      /deletionWindowInDays must be a whole number from 7 to 30, got 31/,
    ],
    [{ userArns: [] }, /userArns must name at least one principal/],
  ])("rejects %j", (bad, message) => {
    expect(validateEncryptionKeyArgs({ aliasName: "ok", userArns: USERS, ...bad })).toMatch(
      message,
    );
  });

  it("accepts sound args", () => {
    expect(
      validateEncryptionKeyArgs({ aliasName: "silkroute/state", userArns: USERS }),
    ).toBeUndefined();
  });
});
