import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import { load } from "js-yaml";
import * as path from "path";
import { readBuildspec } from "../../components/buildspecs";
import { tempDir } from "../helpers/tempDir";

/*
 * Runs the buildspecs' install commands in bash, as CodeBuild runs a phase
 * (one shell, stop at the first failing command), against a local Pulumi
 * release archive served by a fake curl: nothing leaves the machine. Every
 * buildspec has the same install phase (test/components/buildspecs.test.ts).
 */

const VERSION = "3.248.0";

interface Buildspec {
  env: { variables: Record<string, string> };
  phases: { install: { commands: string[] } };
}

/** A Pulumi release archive whose `pulumi` reports `reports`. */
function releaseArchive(dir: string, reports: string): { file: string; sha256: string } {
  const tree = path.join(dir, `tree-${reports}`);
  fs.mkdirSync(path.join(tree, "pulumi"), { recursive: true });
  fs.writeFileSync(path.join(tree, "pulumi", "pulumi"), `#!/bin/sh\necho ${reports}\n`, {
    mode: 0o755,
  });
  const file = path.join(dir, `pulumi-${reports}.tar.gz`);
  const tar = spawnSync("tar", ["-czf", file, "-C", tree, "pulumi"]);
  if (tar.status !== 0) throw new Error(String(tar.stderr));
  return { file, sha256: createHash("sha256").update(fs.readFileSync(file)).digest("hex") };
}

/** A test double of curl: logs the URL, writes FAKE_CURL_SERVES to the -o file. */
const FAKE_CURL = `#!/bin/bash
out=""; url=""
while [ $# -gt 0 ]; do
  case "$1" in
    -o) out="$2"; shift 2 ;;
    -*) shift ;;
    *) url="$1"; shift ;;
  esac
done
echo "$url" >> "$FAKE_CURL_LOG"
cp "$FAKE_CURL_SERVES" "$out"
`;

interface Run {
  readonly status: number | null;
  readonly output: string;
  readonly downloads: string[];
}

/** The install phase up to `npm ci`, each command stopping the phase when it fails. */
function installScript(spec: Buildspec): string {
  const commands = spec.phases.install.commands.filter((c) => c !== "npm ci");
  return commands
    .map((c) => `${c}\nrc=$?; if [ $rc -ne 0 ]; then echo "phase failed: $rc"; exit $rc; fi`)
    .join("\n");
}

describe("the buildspecs' Pulumi CLI install", () => {
  let dir: string;
  let env: Record<string, string>;
  let good: { file: string; sha256: string };
  const spec = load(readBuildspec("deploy-global")) as Buildspec;
  const archives = () => env.PULUMI_ARCHIVES;
  const cached = () => path.join(archives(), `pulumi-v${VERSION}-linux-x64.tar.gz`);

  function install(serves: string, sha256 = good.sha256): Run {
    const result = spawnSync("bash", ["-c", installScript(spec)], {
      env: { ...env, FAKE_CURL_SERVES: serves, PULUMI_SHA256: sha256 },
      encoding: "utf8",
    });
    const log = env.FAKE_CURL_LOG;
    const downloads = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [];
    fs.rmSync(log, { force: true });
    return { status: result.status, output: result.stdout + result.stderr, downloads };
  }

  beforeEach(() => {
    dir = tempDir("silkroute-install-");
    const bin = path.join(dir, "fake-bin");
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, "curl"), FAKE_CURL, { mode: 0o755 });
    // The buildspec's own locations, moved under the test's folder.
    const moved = Object.fromEntries(
      Object.entries(spec.env.variables).map(([k, v]) => [k, path.join(dir, v)]),
    );
    env = {
      ...moved,
      PATH: `${bin}:${process.env.PATH}`,
      HOME: dir,
      PULUMI_VERSION: VERSION,
      FAKE_CURL_LOG: path.join(dir, "downloads.log"),
    };
    good = releaseArchive(dir, `v${VERSION}`);
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("downloads the pinned release archive, checks it and puts that pulumi on PATH", () => {
    // when
    const run = install(good.file);
    // then
    expect(run.status).toBe(0);
    expect(run.downloads).toEqual([
      `https://get.pulumi.com/releases/sdk/pulumi-v${VERSION}-linux-x64.tar.gz`,
    ]);
    expect(fs.existsSync(cached())).toBe(true);
  });

  it("uses a cached archive that passes the check without downloading", () => {
    // given a build cache holding the verified archive
    install(good.file);
    // when
    const run = install(good.file);
    // then
    expect(run.status).toBe(0);
    expect(run.downloads).toEqual([]);
  });

  it("downloads again when the cached archive fails the check, and installs only a good one", () => {
    // given a cache holding another archive under the pinned name
    const other = releaseArchive(dir, "v9.9.9");
    fs.mkdirSync(archives(), { recursive: true });
    fs.copyFileSync(other.file, cached());
    // when
    const run = install(good.file);
    // then
    expect(run.status).toBe(0);
    expect(run.output).toContain("fails its SHA-256 check; downloading it again");
    expect(run.downloads).toHaveLength(1);
  });

  it("fails naming both checksums and the config fix when the download does not match the pin", () => {
    // given a download that is not the pinned archive
    const other = releaseArchive(dir, `v${VERSION}`);
    fs.appendFileSync(other.file, "tampered");
    const actual = createHash("sha256").update(fs.readFileSync(other.file)).digest("hex");
    // when
    const run = install(other.file);
    // then
    expect(run.status).not.toBe(0);
    expect(run.output).toContain(
      `has SHA-256 ${actual}, not silkroute:pulumiSha256 ${good.sha256}`,
    );
    expect(run.output).toContain(
      "pulumi config set silkroute:pulumiSha256 <sha256> --stack global",
    );
    expect(fs.existsSync(cached())).toBe(false);
  });

  it("fails the version check when the pinned archive holds another version, cached or not", () => {
    // given the pin set to an archive whose pulumi is another version
    const other = releaseArchive(dir, "v3.1.0");
    // when: downloaded, then from the cache
    const first = install(other.file, other.sha256);
    const second = install(other.file, other.sha256);
    // then
    expect(first.status).not.toBe(0);
    expect(second.status).not.toBe(0);
    expect(second.downloads).toEqual([]);
    expect(second.output).toContain("phase failed");
  });
});
