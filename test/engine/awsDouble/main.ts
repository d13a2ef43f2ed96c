import * as path from "path";
import * as pulumiProvider from "@pulumi/pulumi/provider";
import { providerConfig, regionInfo } from "./identity";
import { AwsDouble } from "./provider";
import { DoubleStore, sha256 } from "./store";
import type { Wire } from "./values";

/*
 * Entry of the `pulumi-resource-aws` test double (the engine runs it with its
 * own address as the argument). @pulumi/pulumi/provider serves a Provider's
 * resource and function calls but answers CheckConfig/DiffConfig with
 * "unimplemented" and drops Configure's settings, which the double needs to
 * know its Region and account: those three handlers are replaced on the
 * service it registers.
 */

const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const load = (module: string) =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(require.resolve(module, { paths: [sdkDir] })) as Record<string, any>;
const grpc = load("@grpc/grpc-js");
const providerProto = load("@pulumi/pulumi/proto/provider_pb");
const structProto = load("google-protobuf/google/protobuf/struct_pb");

type Callback = (error: unknown, response?: unknown) => void;
interface Call {
  request: Record<string, (...args: unknown[]) => any>;
}

function toJs(struct: { toJavaScript(): Record<string, Wire> } | undefined): Record<string, Wire> {
  return struct ? struct.toJavaScript() : {};
}

function configHandlers(double: AwsDouble) {
  return {
    checkConfig(call: Call, callback: Callback) {
      const news = toJs(call.request.getNews());
      const config = providerConfig(news, new Map());
      const failures: { property: string; reason: string }[] = [];
      if (config.region && !config.unknown) {
        try {
          regionInfo(config.region);
        } catch (error) {
          failures.push({ property: "region", reason: (error as Error).message });
        }
      }
      // The engine sends provider config unencrypted here (before Configure says secrets are
      // accepted), so only the keys are logged: accessKey and secretKey must never be.
      double.log({
        call: "checkConfig",
        urn: call.request.getUrn(),
        keys: Object.keys(news),
        failures,
      });
      const response = new providerProto.CheckResponse();
      response.setInputs(structProto.Struct.fromJavaScript(news));
      response.setFailuresList(
        failures.map((f) => {
          const failure = new providerProto.CheckFailure();
          failure.setProperty(f.property);
          failure.setReason(f.reason);
          return failure;
        }),
      );
      callback(null, response);
    },
    diffConfig(call: Call, callback: Callback) {
      const olds = toJs(call.request.getOldInputs() ?? call.request.getOlds());
      const news = toJs(call.request.getNews());
      const changed = Object.keys({ ...olds, ...news }).filter(
        (k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]),
      );
      double.log({ call: "diffConfig", urn: call.request.getUrn(), changed });
      const response = new providerProto.DiffResponse();
      const changes = providerProto.DiffResponse.DiffChanges;
      response.setChanges(changed.length > 0 ? changes.DIFF_SOME : changes.DIFF_NONE);
      callback(null, response);
    },
    configure(call: Call, callback: Callback) {
      const variables = new Map<string, string>(call.request.getVariablesMap().entries());
      try {
        double.configure(
          call.request.getUrn(),
          providerConfig(toJs(call.request.getArgs()), variables),
        );
      } catch (error) {
        callback({ code: grpc.status.FAILED_PRECONDITION, details: (error as Error).message });
        return;
      }
      const response = new providerProto.ConfigureResponse();
      response.setAcceptsecrets(true);
      response.setAcceptresources(true);
      response.setAcceptoutputs(true);
      callback(null, response);
    },
  };
}

function main(): void {
  const store = DoubleStore.fromEnv();
  const double = new AwsDouble(store);
  const addService = grpc.Server.prototype.addService;
  grpc.Server.prototype.addService = function (service: object, implementation: object) {
    const replaced = "configure" in service ? { ...implementation } : implementation;
    if (replaced !== implementation) {
      // Methods of the SDK's server live on its prototype: bind them before copying.
      for (const key of Object.getOwnPropertyNames(Object.getPrototypeOf(implementation))) {
        const method = (implementation as Record<string, unknown>)[key];
        if (typeof method === "function" && key !== "constructor") {
          (replaced as Record<string, unknown>)[key] = method.bind(implementation);
        }
      }
      Object.assign(replaced, configHandlers(double));
    }
    return addService.call(this, service, replaced);
  };
  double.log({
    call: "start",
    env: digests(Object.values(process.env)),
    argv: digests(process.argv),
  });
  void pulumiProvider.main(double, process.argv.slice(2));
}

/**
 * SHA-256 of every environment value and argument this plugin process got, so
 * a test can check that no secret reached the engine's child processes
 * without the log holding the values.
 */
function digests(values: readonly (string | undefined)[]): string[] {
  return values.map((v) => sha256(v ?? ""));
}

main();
