import {
  DeleteObjectsCommand,
  ListObjectsV2Command,
  ListObjectsV2CommandInput,
} from "@aws-sdk/client-s3";
import * as fs from "fs";
import * as path from "path";
import { keptVersions, keysToPrune, pruneAppCode } from "../../automation/driver/pruneCode";
import { awsError, mockAws } from "../helpers/awsMocks";
import { FakePulumi, commandError } from "../helpers/fakePulumi";
import {
  CHINA_BUCKET,
  EU_BUCKET,
  fixtureProject,
  KEY_ID,
  run,
  SECRET_KEY,
} from "../helpers/driver";

const day = (n: number) => new Date(Date.UTC(2026, 10, n));
const zip = (version: string) => `app/silkroute-dev/${version}.zip`;

describe("keysToPrune", () => {
  const objects = [
    { key: zip("v1"), lastModified: day(1) },
    { key: zip("v4"), lastModified: day(4) },
    { key: zip("v2"), lastModified: day(2) },
    { key: zip("v3"), lastModified: day(3) },
  ];

  it("deletes all but the newest `keep`", () => {
    expect(keysToPrune(objects, 2, zip("v4")).sort()).toEqual([zip("v1"), zip("v2")]);
  });

  it("never deletes the deployed version, even when it is the oldest (a rollback)", () => {
    // when v1 is deployed again and two versions are kept
    const doomed = keysToPrune(objects, 2, zip("v1"));
    // then v1 and the newest other stay
    expect(doomed.sort()).toEqual([zip("v2"), zip("v3")]);
  });

  it("keeps the deployed version alone with keep 1, and everything when there are fewer", () => {
    expect(keysToPrune(objects, 1, zip("v2")).sort()).toEqual([zip("v1"), zip("v3"), zip("v4")]);
    expect(keysToPrune(objects, 10, zip("v4"))).toEqual([]);
  });
});

describe("keysToPrune of apps that upload several objects per version", () => {
  // an app's uploads and packaged templates: app/<prefix>/<version>/<artifact>
  const at = (version: string, artifact: string, d: number) => ({
    key: `app/silkroute-dev/${version}/${artifact}`,
    lastModified: day(d),
  });
  const objects = [
    at("v1", "fn.zip", 1),
    at("v1", "template.json", 1),
    at("v2", "fn.zip", 2),
    at("v2", "Child.template.json", 2),
    at("v3", "fn.zip", 3),
  ];

  it("keeps whole versions: every object of the newest ones, none of the others", () => {
    expect(keysToPrune(objects, 2, zip("v3")).sort()).toEqual([
      "app/silkroute-dev/v1/fn.zip",
      "app/silkroute-dev/v1/template.json",
    ]);
  });

  it("never deletes an object of the deployed version, even the oldest", () => {
    expect(keysToPrune(objects, 1, zip("v1")).sort()).toEqual([
      "app/silkroute-dev/v2/Child.template.json",
      "app/silkroute-dev/v2/fn.zip",
      "app/silkroute-dev/v3/fn.zip",
    ]);
  });
});

describe("pruneAppCode", () => {
  let aws: ReturnType<typeof mockAws>;
  beforeEach(() => (aws = mockAws()));
  afterEach(() => aws.restore());

  const site = {
    bucket: "silkroute-artifacts-us-east-1",
    folder: "app/silkroute-dev/",
    key: zip("v12"),
    region: "us-east-1",
  };

  it("lists every page of the environment's folder and deletes beyond the newest, in one request", async () => {
    // given 12 versions over two pages
    aws.s3
      .on(ListObjectsV2Command, { ContinuationToken: undefined })
      .resolves({
        IsTruncated: true,
        NextContinuationToken: "t2",
        Contents: [1, 2, 3, 4, 5, 6].map((n) => ({ Key: zip(`v${n}`), LastModified: day(n) })),
      })
      .on(ListObjectsV2Command, { ContinuationToken: "t2" })
      .resolves({
        Contents: [7, 8, 9, 10, 11, 12].map((n) => ({ Key: zip(`v${n}`), LastModified: day(n) })),
      });
    aws.s3.on(DeleteObjectsCommand).resolves({});
    // when
    const deleted = await pruneAppCode(site, 10, {});
    // then
    expect(deleted.sort()).toEqual([zip("v1"), zip("v2")]);
    const lists = aws.s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input);
    expect(lists.map((i: ListObjectsV2CommandInput) => [i.Bucket, i.Prefix])).toEqual([
      [site.bucket, "app/silkroute-dev/"],
      [site.bucket, "app/silkroute-dev/"],
    ]);
    const [del] = aws.s3.commandCalls(DeleteObjectsCommand);
    expect(del.args[0].input.Bucket).toBe(site.bucket);
    expect(del.args[0].input.Delete?.Objects?.map((o) => o.Key).sort()).toEqual([
      zip("v1"),
      zip("v2"),
    ]);
  });

  it("sends no deletion when nothing is beyond the newest", async () => {
    // given
    aws.s3
      .on(ListObjectsV2Command)
      .resolves({ Contents: [{ Key: zip("v12"), LastModified: day(12) }] });
    // when
    const deleted = await pruneAppCode(site, 10, {});
    // then
    expect(deleted).toEqual([]);
    expect(aws.s3.commandCalls(DeleteObjectsCommand)).toHaveLength(0);
  });

  it("fails naming the keys S3 would not delete", async () => {
    // given
    aws.s3.on(ListObjectsV2Command).resolves({
      Contents: [1, 2].map((n) => ({ Key: zip(`v${n}`), LastModified: day(n) })),
    });
    aws.s3
      .on(DeleteObjectsCommand)
      .resolves({ Errors: [{ Key: zip("v1"), Code: "AccessDenied", Message: "Access Denied" }] });
    // when / then
    await expect(pruneAppCode({ ...site, key: zip("v2") }, 1, {})).rejects.toThrow(
      `1 of 1 deletions failed, first ${zip("v1")}: AccessDenied Access Denied`,
    );
  });
});

describe("silkroute deploy keeps the newest code zips of each target", () => {
  let aws: ReturnType<typeof mockAws>;
  beforeEach(() => (aws = mockAws()));
  afterEach(() => aws.restore());

  /** The fixture project keeping `keep` versions. */
  function projectKeeping(keep: number): string {
    const dir = fixtureProject();
    const file = path.join(dir, "Pulumi.global.yaml");
    fs.appendFileSync(file, `  silkroute:appVersionsKept: ${keep}\n`);
    return dir;
  }

  /** Every bucket holds versions 1..5 of dev's code, 1.2.3 (the one deployed) the newest. */
  function bucketsHoldFiveVersions() {
    const versions = ["0.9.0", "1.0.0", "1.1.0", "1.2.0", "1.2.3"];
    aws.s3.on(ListObjectsV2Command).resolves({
      Contents: versions.map((v, i) => ({ Key: zip(v), LastModified: day(i + 1) })),
    });
    aws.s3.on(DeleteObjectsCommand).resolves({});
  }

  const deletedIn = (bucket: string) =>
    aws.s3
      .commandCalls(DeleteObjectsCommand)
      .filter((c) => c.args[0].input.Bucket === bucket)
      .flatMap((c) => c.args[0].input.Delete?.Objects?.map((o) => o.Key) ?? [])
      .sort();

  it("prunes each target's own bucket after its deploy, China with the China key in memory", async () => {
    // given
    bucketsHoldFiveVersions();
    // when
    const { code, err } = await run(["deploy", "--env", "dev", "--target", "all", ...EU_BUCKET], {
      projectDir: projectKeeping(3),
    });
    // then
    expect(code).toBe(0);
    for (const bucket of [
      "silkroute-artifacts-us-east-1",
      "silkroute-artifacts-eu-west-1",
      CHINA_BUCKET,
    ]) {
      expect(deletedIn(bucket)).toEqual([zip("0.9.0"), zip("1.0.0")]);
    }
    const china = aws.s3
      .commandCalls(ListObjectsV2Command)
      .find((c) => c.args[0].input.Bucket === CHINA_BUCKET)!;
    expect(await china.thisValue.config.region()).toBe("cn-north-1");
    expect(await china.thisValue.config.credentials()).toMatchObject({
      accessKeyId: KEY_ID,
      secretAccessKey: SECRET_KEY,
    });
    const eu = aws.s3
      .commandCalls(ListObjectsV2Command)
      .find((c) => c.args[0].input.Bucket === "silkroute-artifacts-eu-west-1")!;
    expect(await eu.thisValue.config.region()).toBe("eu-west-1");
    expect(err.join("\n")).toContain(
      "removed 2 old code zip(s) from silkroute-artifacts-eu-west-1/app/silkroute-dev/, kept the newest 3",
    );
    expect(err.join("\n")).not.toContain(SECRET_KEY);
  });

  it("keeps 10 versions by default", async () => {
    // given
    bucketsHoldFiveVersions();
    // when
    await run(["deploy", "--env", "dev", "--target", "us-east-1"]);
    // then
    expect(aws.s3.commandCalls(ListObjectsV2Command)).toHaveLength(1);
    expect(aws.s3.commandCalls(DeleteObjectsCommand)).toHaveLength(0);
  });

  it("prunes nothing where the deploy failed", async () => {
    // given
    bucketsHoldFiveVersions();
    const fake = new FakePulumi({
      "dev-us-east-1": { fail: commandError("error: update failed\n") },
    });
    // when
    const { code } = await run(["deploy", "--env", "dev", "--target", "us-east-1"], {
      fake,
      projectDir: projectKeeping(1),
    });
    // then
    expect(code).toBe(1);
    expect(aws.s3.commandCalls(ListObjectsV2Command)).toHaveLength(0);
  });

  it("warns and still succeeds when the old zips cannot be listed", async () => {
    // given
    aws.s3.on(ListObjectsV2Command).rejects(awsError("AccessDenied", "Access Denied"));
    // when
    const { code, err } = await run(["deploy", "--env", "dev", "--target", "us-east-1"], {
      projectDir: projectKeeping(1),
    });
    // then
    expect(code).toBe(0);
    expect(err.join("\n")).toContain(
      "warning: old code zips kept in silkroute-artifacts-us-east-1/app/silkroute-dev/: AccessDenied: Access Denied",
    );
  });
});

describe("keptVersions", () => {
  it("names the versions of the folder's zips, newest first, and nothing else", () => {
    // given
    const objects = [
      { key: zip("v1"), lastModified: day(1) },
      { key: zip("v3"), lastModified: day(3) },
      { key: "app/silkroute-dev/nested/v9.zip", lastModified: day(9) },
      { key: "app/silkroute-dev/notes.txt", lastModified: day(8) },
      { key: zip("v2"), lastModified: day(2) },
    ];
    // when / then
    expect(keptVersions(objects, "app/silkroute-dev/")).toEqual(["v3", "v2", "v1"]);
  });
});
