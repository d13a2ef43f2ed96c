import { ArtifactStore, validateArtifactStoreArgs } from "../../components/artifactStore";
import { validateEncryptedBucketArgs } from "../../components/encryptedBucket";
import { StateBackend, validateStateBackendArgs } from "../../components/stateBackend";
import { TEST_ACCESS_LOGS } from "../helpers/accessLogs";
import { evaluate, providerFor } from "../helpers/pulumi";

const ROLES = ["arn:aws:iam::123456789012:role/silkroute-codepipeline"];
const STORE = {
  region: "us-east-1",
  userArns: ROLES,
  aliasName: "silkroute-artifacts",
  pipelineName: "silkroute",
  accessLogs: TEST_ACCESS_LOGS,
};

describe("EncryptedBucket, as ArtifactStore and StateBackend", () => {
  it("keeps the key and the bucket at the URNs they had as each component's own children, so no deployed stack replaces them", async () => {
    // given / when
    const stack = await evaluate(() => {
      const provider = providerFor("us-east-1");
      new ArtifactStore("artifacts", STORE, { provider });
      new StateBackend("state", { userArns: ROLES, accessLogs: TEST_ACCESS_LOGS }, { provider });
      return {};
    });
    // then: the components' children are typed under their own token, as before
    const urns = stack.resources.map((r) => r.urn);
    const at = (qualifiedType: string, name: string) =>
      `urn:pulumi:test::silkroute::${qualifiedType}::${name}`;
    expect(urns).toEqual(
      expect.arrayContaining([
        at("pulumi:pulumi:Stack$silkroute:pipeline:ArtifactStore", "artifacts"),
        at("silkroute:pipeline:ArtifactStore$silkroute:security:EncryptionKey", "artifacts-key"),
        at("silkroute:pipeline:ArtifactStore$silkroute:storage:SecureBucket", "artifacts-bucket"),
        at("silkroute:security:EncryptionKey$aws:kms/key:Key", "artifacts-key-key"),
        at("silkroute:storage:SecureBucket$aws:s3/bucket:Bucket", "artifacts-bucket"),
        at("pulumi:pulumi:Stack$silkroute:state:StateBackend", "state"),
        at("silkroute:state:StateBackend$silkroute:security:EncryptionKey", "state-key"),
        at("silkroute:state:StateBackend$silkroute:storage:SecureBucket", "state-bucket"),
        at("silkroute:state:StateBackend$aws:s3/bucketObjectv2:BucketObjectv2", "state-meta"),
      ]),
    );
    // and no component of its own sits between them
    expect(urns.filter((u) => u.includes("EncryptedBucket"))).toEqual([]);
  });

  it("refuses a bad access-log folder before the key is created, for both", () => {
    // given a folder without its trailing slash
    const accessLogs = { bucket: "logs", prefix: "state" };
    const problem = 'accessLogs.prefix must name a folder such as state/, got "state"';
    // then each component's validation finds it (SecureBucket would, after the key)
    expect(validateEncryptedBucketArgs({ aliasName: "k", userArns: ROLES, accessLogs })).toBe(
      problem,
    );
    expect(validateStateBackendArgs({ userArns: ROLES, accessLogs })).toBe(problem);
    expect(validateArtifactStoreArgs({ ...STORE, accessLogs })).toBe(problem);
  });

  it("needs someone to use the key: users, or IAM policies", () => {
    const args = { aliasName: "k", accessLogs: TEST_ACCESS_LOGS };
    expect(validateEncryptedBucketArgs(args)).toMatch(/userArns must name at least one principal/);
    expect(validateEncryptedBucketArgs({ ...args, usableThroughIam: true })).toBeUndefined();
  });
});
