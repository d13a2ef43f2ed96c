import * as fs from "fs";
import * as path from "path";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { GetParameterCommand } from "@aws-sdk/client-ssm";
import { main } from "../../automation/cli";
import { awsError, mockAws } from "../helpers/awsMocks";
import { FakePulumi } from "../helpers/fakePulumi";
import { runConfigCommands, shellCommands } from "../helpers/pulumiConfigCli";
import { tempDir } from "../helpers/tempDir";

// Every row of the table in docs/troubleshooting.md is run here as it is written:
// its `pulumi config` commands (through the CLI double) and `echo … >>` lines on a
// copy of the shipped config, then its silkroute command, in the situation its
// "where" cell names. The exit code and the message must be the table's.

const root = path.resolve(__dirname, "../..");
const DOC = path.join(root, "docs", "troubleshooting.md");
const PASSPHRASE = "the local state's passphrase";

interface Row {
  readonly mistake: string;
  readonly where: string;
  readonly setup: readonly string[];
  readonly command: string;
  readonly exit: number;
  readonly message: string;
}

/** The cells of a Markdown table row (`\|` is a `|` inside a cell). */
function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, "")
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replace(/\\\|/g, "|"));
}

/** The rows of the table under "## Mistakes". */
export function troubleshootingRows(text = fs.readFileSync(DOC, "utf8")): Row[] {
  const section = text.split(/^## Mistakes.*$/m)[1] ?? "";
  const lines = section.split("\n").filter((l) => l.startsWith("|"));
  const [header, , ...body] = lines;
  expect(cells(header)).toEqual(["mistake", "where", "run", "exit", "message"]);
  return body.map((line) => {
    const [mistake, where, run, exit, message] = cells(line);
    const spans = [...run.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    const unquoted = /^`(.*)`$/.exec(message)?.[1];
    return {
      mistake,
      where: where === "" ? "—" : where,
      setup: spans.slice(0, -1),
      command: spans[spans.length - 1] ?? "",
      exit: Number(exit),
      message: unquoted ?? message,
    };
  });
}

/** The shipped project's stack files, copied, with each setup line applied. */
function projectOf(setup: readonly string[]): string {
  const dir = tempDir("silkroute-trouble-");
  for (const f of ["Pulumi.yaml", "Pulumi.global.yaml", "Pulumi.china.yaml", "package.json"]) {
    fs.copyFileSync(path.join(root, f), path.join(dir, f));
  }
  for (const line of setup) {
    const append = /^echo '([^']*)' >> (Pulumi\.(global|china)\.yaml)$/.exec(line);
    if (append) {
      fs.appendFileSync(path.join(dir, append[2]), `${append[1]}\n`);
      continue;
    }
    const stack = /--stack (global|china)$/.exec(line)?.[1];
    if (stack === undefined) throw new Error(`a setup line names no stack: ${line}`);
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    fs.writeFileSync(
      file,
      runConfigCommands(fs.readFileSync(file, "utf8"), stack, shellCommands(line)),
    );
  }
  return dir;
}

/** The environment and argv of `[env -u VAR …] [VAR=value …] silkroute <args>`. */
function commandOf(command: string): { env: NodeJS.ProcessEnv; argv: string[] } {
  const [words] = shellCommands(command);
  const env: NodeJS.ProcessEnv = { PATH: "/usr/bin", PULUMI_CONFIG_PASSPHRASE: PASSPHRASE };
  let i = 0;
  if (words[0] === "env") {
    for (i = 1; words[i] === "-u"; i += 2) delete env[words[i + 1]];
  }
  for (; /^[A-Z_]+=/.test(words[i]); i++) {
    const [name, ...value] = words[i].split("=");
    env[name] = value.join("=");
  }
  if (words[i] !== "silkroute") throw new Error(`not a silkroute command: ${command}`);
  return { env, argv: words.slice(i + 1) };
}

/** The AWS SDK's own environment without any credentials, for the real credential chain. */
function withoutCredentials(): () => void {
  const saved = { ...process.env };
  for (const name of Object.keys(process.env))
    if (name.startsWith("AWS_")) delete process.env[name];
  const nowhere = path.join(tempDir("silkroute-nocreds-"), "none");
  Object.assign(process.env, {
    AWS_CONFIG_FILE: nowhere,
    AWS_SHARED_CREDENTIALS_FILE: nowhere,
    AWS_EC2_METADATA_DISABLED: "true",
  });
  return () => {
    for (const name of Object.keys(process.env)) delete process.env[name];
    Object.assign(process.env, saved);
  };
}

/**
 * The situations the "where" cells name. By default: the shipped config,
 * both stacks deployed (dev's China deploy key in SSM, accepted by STS), the
 * Pulumi CLI on PATH, and the local state's passphrase set.
 */
const SITUATIONS: Record<
  string,
  (aws: ReturnType<typeof mockAws>, fake: FakePulumi) => (() => void) | void
> = {
  "—": () => undefined,
  "no AWS credentials": (aws) => {
    aws.restore();
    return withoutCredentials();
  },
  "an expired AWS session": (aws) => {
    aws.ssm
      .on(GetParameterCommand)
      .rejects(
        awsError("ExpiredTokenException", "The security token included in the request is expired"),
      );
  },
  "SSM denied to these credentials": (aws) => {
    aws.ssm
      .on(GetParameterCommand)
      .rejects(awsError("AccessDeniedException", "not authorized to perform: ssm:GetParameter"));
  },
  "before pulumi up --stack china": (aws) => {
    aws.ssm.on(GetParameterCommand).rejects(awsError("ParameterNotFound", "Parameter not found"));
  },
  "the China key deleted in China": (aws) => {
    aws.sts
      .on(GetCallerIdentityCommand)
      .rejects(
        awsError("InvalidClientTokenId", "The security token included in the request is invalid"),
      );
  },
  "no Pulumi CLI on PATH": (_aws, fake) => {
    fake.cliInstalled = false;
  },
};

/** Whether `text` holds `message`, where `…` in the message stands for any text on the line. */
function says(text: string, message: string): boolean {
  const pattern = message
    .split("…")
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(pattern).test(text);
}

/** Every file under `dir`, relative. */
function filesOf(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

const ROWS = troubleshootingRows();

describe("docs/troubleshooting.md", () => {
  it("lists at least 30 mistakes of every kind the issue names, each with its exit code", () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(30);
    const kinds = ROWS.map((r) => `${r.mistake} ${r.where} ${r.command}`).join("\n");
    for (const kind of [
      /misspelt/,
      /Region/,
      /account id/,
      /YAML/,
      /GITHUB_TOKEN/,
      /no AWS credentials/,
      /no Pulumi CLI/,
      /before pulumi up --stack china/,
    ]) {
      expect(kinds).toMatch(kind);
    }
    expect(new Set(ROWS.map((r) => r.exit))).toEqual(new Set([2, 3, 4, 5]));
    expect(Object.keys(SITUATIONS)).toEqual(expect.arrayContaining(ROWS.map((r) => r.where)));
  });
});

describe.each(ROWS.map((r) => [r.mistake, r] as const))("%s", (_mistake, row) => {
  let aws: ReturnType<typeof mockAws>;
  beforeEach(() => (aws = mockAws()));
  afterEach(() => aws.restore());

  it(`exits ${row.exit} saying so${row.exit === 2 || row.exit === 3 ? ", before anything starts" : ""}`, async () => {
    // given the project with the mistake, in the row's situation
    const projectDir = projectOf(row.setup);
    const fake = new FakePulumi();
    const situation = SITUATIONS[row.where];
    expect(situation).toBeDefined();
    const restore = situation(aws, fake);
    const before = filesOf(projectDir);
    const { env, argv } = commandOf(row.command);
    const out: string[] = [];
    const err: string[] = [];
    // when
    let code: number;
    try {
      code = await main(argv, {
        io: { out: (t) => out.push(t), err: (t) => err.push(t) },
        projectDir,
        services: { pulumi: fake.factory, env, sleep: async () => undefined },
      });
    } finally {
      restore?.();
    }
    // then
    const stderr = err.join("\n");
    expect({ code, says: says(stderr, row.message), stderr }).toEqual({
      code: row.exit,
      says: true,
      stderr,
    });
    if (row.exit === 2 || row.exit === 3 || row.exit === 5) {
      // one line, and nothing started: no Pulumi operation, no file written
      expect(err).toHaveLength(1);
      expect(fake.calls).toEqual([]);
      expect(filesOf(projectDir)).toEqual(before);
    }
    if (row.exit === 2 || row.exit === 5) {
      // a usage error or a missing tool is found before any AWS call
      expect([...aws.ssm.calls(), ...aws.sts.calls(), ...aws.iam.calls()]).toEqual([]);
    }
  });
});
