import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { childUrn, providerUrnOf } from "../../../automation/plan/mocks";
import {
  forgetPendingRegistrations,
  interceptMonitor,
  MonitorRequest,
  settleStackOutputs,
  waitForRPCs,
  withoutDiagnostics,
} from "../../../automation/plan/pulumiInternals";
import { isSecretValue } from "../../../automation/plan/secrets";
import { packageDir } from "../../../components/projectRoot";
import { DEFAULT_PULUMI_VERSION } from "../../../stacks/config/global";
import {
  CanaryProvider,
  expectInternal,
  Group,
  INSTALLED,
  ORGANIZATION,
  PIN,
  PROJECT,
  RecordingMocks,
  settle,
  STACK,
  Thing,
  urnOf,
} from "../../helpers/pulumiCanary";

/*
 * The canary for the plan engine's use of @pulumi/pulumi internals
 * (automation/plan/pulumiInternals.ts, and the mock monitor's rules mocks.ts
 * and secrets.ts mirror): each test checks one of them against the installed
 * SDK and fails naming it. Run it first when changing the pin:
 *   npx jest test/automation/plan/pulumiInternals.test.ts
 */

let mocks: RecordingMocks;
beforeEach(async () => {
  mocks = new RecordingMocks();
  await pulumi.runtime.setMocks(mocks, PROJECT, STACK, false, ORGANIZATION);
});
afterEach(settle);

describe("the pin", () => {
  it("package.json pins @pulumi/pulumi exactly, it is the version installed, and the CLI the buildspecs install is the same", () => {
    expect({ pin: PIN }).toEqual({ pin: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
    expect({ installed: INSTALLED }).toEqual({ installed: PIN });
    expect({ buildspecCli: DEFAULT_PULUMI_VERSION }).toEqual({ buildspecCli: PIN });
  });
});

describe("the Pulumi internals the plan engine uses", () => {
  it("runtime.waitForRPCs waits for a registration the mocks answer late", async () => {
    // given a registration answered after 20 ms
    let answered = false;
    mocks.answer = (args) =>
      new Promise((resolve) =>
        setTimeout(() => {
          answered = true;
          resolve({ id: `${args.name}-id`, state: {} });
        }, 20),
      );
    new Thing("late");
    // when
    const exported = typeof (pulumi.runtime as unknown as Record<string, unknown>).waitForRPCs;
    expectInternal("runtime.waitForRPCs", "is a function", exported === "function");
    await waitForRPCs();
    // then
    expectInternal(
      "runtime.waitForRPCs",
      "resolves only after every outstanding registration has finished",
      answered,
    );
  });

  it("the mock monitor's registerResource and readResource, replaced on getMonitor()'s object, see each request just before newResource", async () => {
    // given
    const requests: MonitorRequest[] = [];
    interceptMonitor((req) => {
      mocks.events.push(`request ${req.getName()}`);
      requests.push(req);
    });
    // when a registration with options, a read and a component with a provider
    const provider = new CanaryProvider("p");
    new Thing(
      "registered",
      {},
      {
        deleteBeforeReplace: true,
        replaceOnChanges: ["size"],
        retainOnDelete: true,
        replacementTrigger: "v2",
      },
    );
    new Thing("read", {}, { id: "existing" });
    new Group("group", { providers: { canary: provider } });
    await settle();
    // then each request came through the replaced methods, right before its newResource
    const pairs = Array.from({ length: mocks.events.length / 2 }, (_, i) =>
      mocks.events.slice(2 * i, 2 * i + 2).join(", "),
    );
    expectInternal(
      "the mock monitor (runtime.getMonitor()) registerResource/readResource",
      "are called through the object getMonitor() returns, each just before the mocks' newResource",
      JSON.stringify(pairs.sort()) ===
        JSON.stringify(
          ["group", "p", "read", "registered"].map((n) => `request ${n}, newResource ${n}`),
        ),
    );
    const request = (name: string) => requests.find((r) => r.getName() === name)!;
    const [registered, read, group] = ["registered", "read", "group"].map(request);
    expectInternal(
      "RegisterResourceRequest getType/getName/getParent",
      "give the resource's type, name and parent",
      registered.getType() === "canary:index:Thing" &&
        registered.getName() === "registered" &&
        registered.getParent() === "",
    );
    expectInternal(
      "RegisterResourceRequest getDeletebeforereplace/getReplaceonchangesList/getRetainondelete/getReplacementTrigger",
      "give the resource options the plan records",
      registered.getDeletebeforereplace?.() === true &&
        JSON.stringify(registered.getReplaceonchangesList?.()) === '["size"]' &&
        registered.getRetainondelete?.() === true &&
        registered.getReplacementTrigger?.()?.toJavaScript() === "v2",
    );
    expectInternal(
      "ReadResourceRequest",
      "reaches the monitor's readResource with the resource's type and name",
      read.getType() === "canary:index:Thing" && read.getName() === "read",
    );
    const providerUrn = await urnOf(provider);
    const ref = group.getProvidersMap().get("canary");
    expectInternal(
      "RegisterResourceRequest getProvidersMap",
      "maps a component's provider package to `<provider URN>::<id>`",
      ref !== undefined && providerUrnOf(ref) === providerUrn,
    );
  });

  it("runtime.resetOptions, with its seven arguments, sets the stack and forgets the registrations a failure cut short", async () => {
    // given a registration that never finishes (its mock never answers)
    mocks.answer = () => new Promise(() => undefined);
    new Thing("stuck");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { getStore } = require("@pulumi/pulumi/runtime/state") as {
      getStore(): { leakCandidates: Set<unknown> };
    };
    expect(getStore().leakCandidates.size).toBeGreaterThan(0);
    // when
    forgetPendingRegistrations("other-project", "other-stack", "other-organization");
    // then
    expectInternal(
      "runtime.resetOptions(project, stack, parallel, engineAddr, monitorAddr, preview, organization)",
      "takes the project, stack and organization in those places",
      pulumi.getProject() === "other-project" &&
        pulumi.getStack() === "other-stack" &&
        pulumi.getOrganization() === "other-organization" &&
        !pulumi.runtime.isDryRun(),
    );
    expectInternal(
      "runtime.resetOptions",
      "clears the leak candidates (the promises reported as leaked at exit)",
      getStore().leakCandidates.size === 0,
    );
  });

  it("runtime/debuggable's debuggablePromise, called through its module, is what puts each of the runtime's promises among the leak candidates; withoutDiagnostics swaps it and puts it back", async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { getStore } = require("@pulumi/pulumi/runtime/state") as {
      getStore(): { leakCandidates: Set<unknown> };
    };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const debuggable = require("@pulumi/pulumi/runtime/debuggable") as Record<string, unknown>;
    const tracked = debuggable.debuggablePromise;
    expectInternal(
      "runtime/debuggable.debuggablePromise",
      "is a function",
      typeof tracked === "function",
    );
    // given registrations that never finish (their mocks never answer)
    mocks.answer = () => new Promise(() => undefined);
    forgetPendingRegistrations(PROJECT, STACK, ORGANIZATION);
    // when one is made without leak tracking, and one with
    const untracked = await withoutDiagnostics(async () => {
      new Thing("untracked");
      return {
        candidates: getStore().leakCandidates.size,
        swapped: debuggable.debuggablePromise !== tracked,
      };
    });
    new Thing("tracked");
    // then
    expect(untracked.swapped).toBe(true);
    expectInternal(
      "runtime/debuggable.debuggablePromise",
      "is what the runtime calls, through the module's exports, for each promise of a registration",
      untracked.candidates === 0 && getStore().leakCandidates.size > 0,
    );
    expect(debuggable.debuggablePromise).toBe(tracked);
    forgetPendingRegistrations(PROJECT, STACK, ORGANIZATION);
  });

  it("Resource.callsites, a static the constructor calls through the class, is what gives a registration its source position; withoutDiagnostics leaves it out and puts it back", async () => {
    const resource = pulumi.Resource as unknown as Record<string, unknown>;
    const callsites = resource.callsites;
    expectInternal("Resource.callsites", "is a static function", typeof callsites === "function");
    const positions: boolean[] = [];
    interceptMonitor((req) => {
      const withPosition = req as MonitorRequest & { getSourceposition?(): unknown };
      positions.push(withPosition.getSourceposition?.() !== undefined);
    });
    // when one resource is made without diagnostics and one with
    await withoutDiagnostics(async () => {
      await urnOf(new Thing("without"));
    });
    await urnOf(new Thing("with"));
    // then
    expectInternal(
      "Resource.callsites",
      "is what the constructor reads the source position of each registration from",
      positions.length === 2 && !positions[0] && positions[1] === true,
    );
    expect(resource.callsites).toBe(callsites);
  });

  it("withoutDiagnostics refuses to run while a run has not finished", async () => {
    let release: () => void = () => undefined;
    const first = withoutDiagnostics(() => new Promise<void>((resolve) => (release = resolve)));
    await expect(withoutDiagnostics(async () => undefined)).rejects.toThrow(
      "withoutDiagnostics: a stack is being evaluated already; evaluate one at a time",
    );
    release();
    await first;
    await expect(withoutDiagnostics(async () => "again")).resolves.toBe("again");
  });

  it("withoutDiagnostics puts the runtime's own back when what it runs fails", async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const debuggable = require("@pulumi/pulumi/runtime/debuggable") as Record<string, unknown>;
    const tracked = debuggable.debuggablePromise;
    const callsites = (pulumi.Resource as unknown as Record<string, unknown>).callsites;
    await expect(
      withoutDiagnostics(async () => {
        throw new Error("program failed");
      }),
    ).rejects.toThrow("program failed");
    expect(debuggable.debuggablePromise).toBe(tracked);
    expect((pulumi.Resource as unknown as Record<string, unknown>).callsites).toBe(callsites);
  });

  it("the root Stack resource's outputs have promise(), isKnown and isSecret, which a failed program leaves rejected", async () => {
    // given a program that fails
    const run = pulumi.runtime.runInPulumiStack(async () => {
      throw new Error("program failed");
    });
    await expect(run).rejects.toThrow("program failed");
    // then
    const outputs = pulumi.runtime.getStackResource()?.outputs as unknown as Record<
      string,
      unknown
    >;
    expectInternal(
      "Output.promise/isKnown/isSecret of runtime.getStackResource().outputs",
      "are a function and two promises",
      typeof outputs?.promise === "function" &&
        outputs.isKnown instanceof Promise &&
        outputs.isSecret instanceof Promise,
    );
    expect(settleStackOutputs).not.toThrow();
  });

  it("the mock monitor names a child `<parent's type>$<type>`, as childUrn does, and refers to a provider as `<URN>::<id>`", async () => {
    // given
    const provider = new CanaryProvider("p");
    const outer = new Group("outer");
    const inner = new Group("inner", { parent: outer });
    const child = new Thing("child", {}, { parent: inner, provider });
    // when
    const [outerUrn, innerUrn, childUrnSeen, providerUrn] = await Promise.all(
      [outer, inner, child, provider].map(urnOf),
    );
    // then
    expectInternal(
      "the mock monitor's URNs (runtime/mocks.js newUrn)",
      "are the ones childUrn in automation/plan/mocks.ts computes",
      outerUrn === childUrn(STACK, PROJECT, "", "canary:index:Group", "outer") &&
        innerUrn === childUrn(STACK, PROJECT, outerUrn, "canary:index:Group", "inner") &&
        childUrnSeen === childUrn(STACK, PROJECT, innerUrn, "canary:index:Thing", "child"),
    );
    const args = mocks.args.find((a) => a.name === "child");
    expectInternal(
      "MockResourceArgs.provider",
      "is `<provider URN>::<id>`",
      args?.provider !== undefined && providerUrnOf(args.provider) === providerUrn,
    );
  });

  it("the mocks get a secret input as { [rpc.specialSigKey]: rpc.specialSecretSig, value }, as secrets.ts reads it", async () => {
    new Thing("secretive", { password: pulumi.secret("hunter2") });
    await settle();
    const password = mocks.args.find((a) => a.name === "secretive")?.inputs.password;
    expectInternal(
      "the secret signature (runtime.specialSigKey, runtime.specialSecretSig)",
      "is the one automation/plan/secrets.ts recognizes",
      isSecretValue(password) && password.value === "hunter2",
    );
  });

  it("a failed invoke rejects with the `details` of the mocks' error", async () => {
    await expect(pulumi.runtime.invoke("canary:index:lookup", {})).rejects.toThrow(
      "no mock for canary:index:lookup",
    );
  });
});

describe("what the plan's bundle defers (scripts/lazyModules.js)", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { LAZY } = require("../../../scripts/lazyModules.js") as {
    LAZY: { importer: RegExp; request: string | RegExp }[];
  };
  // the packages stand-ins are put into: @pulumi/pulumi, and the IAM policy engine (its ES build)
  const importers = [
    path.dirname(require.resolve("@pulumi/pulumi/package.json")),
    path.join(packageDir("@cloud-copilot/iam-simulate"), "dist", "esm"),
  ];
  const files = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) return e.name === "node_modules" ? [] : files(full);
      return e.name.endsWith(".js") ? [full] : [];
    });
  const requires = importers.flatMap(files).flatMap((file) =>
    [...fs.readFileSync(file, "utf8").matchAll(/(?:require\(|\bfrom )["']([^"']+)["']/g)].map(
      (m) => ({
        file,
        request: m[1],
      }),
    ),
  );

  it.each(LAZY.map((l) => [String(l.request), l] as const))(
    "%s is still imported where the stand-in expects it",
    (_, lazy) => {
      const found = requires.some(
        (r) =>
          lazy.importer.test(r.file) &&
          (typeof lazy.request === "string"
            ? r.request === lazy.request
            : lazy.request.test(r.request)),
      );
      expectInternal(
        `the module layout of the package that imports ${String(lazy.request)}`,
        "is required where scripts/lazyModules.js puts a stand-in, so the plan would load it eagerly",
        found,
      );
    },
  );
});
