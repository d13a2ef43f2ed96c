import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

/*
 * The project's own import graph, as the TypeScript compiler resolves it: every
 * import, `import type`, `export … from`, dynamic `import()` and `require()` of
 * the .ts and .js files outside node_modules, between files of the project.
 * Type-only imports count: they tie the layers together as much as values do.
 */

export const ROOT = path.resolve(__dirname, "../..");

const SKIPPED = new Set(["node_modules", "dist", "coverage", ".git", ".tools", ".pulumi"]);
const SOURCE = /\.(ts|js|mjs|cjs)$/;

/** Every source file of the project, relative to its root, `/`-separated. */
export function sourceFiles(dir = ROOT): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED.has(entry.name) ? [] : sourceFiles(full);
    return SOURCE.test(entry.name) && !entry.name.endsWith(".d.ts") ? [relative(full)] : [];
  });
}

const relative = (file: string) => path.relative(ROOT, file).split(path.sep).join("/");

const OPTIONS: ts.CompilerOptions = {
  moduleResolution: ts.ModuleResolutionKind.Node10,
  allowJs: true,
  resolveJsonModule: true,
};

/**
 * What `dist/` holds is built from the source (tsc, scripts/bundle.js): a
 * require of `dist/automation/cli` is an arrow to automation/cli.ts, and the
 * plan's bundle (`dist/bundle/`) is built from automation/.
 */
function fromBuild(request: string, importer: string): string | undefined {
  if (!request.startsWith(".")) return undefined;
  const target = relative(path.resolve(ROOT, path.dirname(importer), request));
  if (!target.startsWith("dist/")) return undefined;
  const built = target.slice("dist/".length).replace(/\.js$/, "");
  return built.startsWith("bundle/") ? "automation/" : `${built}.ts`;
}

/** Every module a file names in an import, export … from, import(), import type or require(). */
function requests(file: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const found: string[] = [];
  const literal = (node: ts.Node | undefined) => {
    if (node !== undefined && ts.isStringLiteralLike(node)) found.push(node.text);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      literal(node.moduleSpecifier);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference)
    ) {
      literal(node.moduleReference.expression);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      literal(node.argument.literal);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === "require"))
    ) {
      literal(node.arguments[0]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Each file's imports of other project files (a folder path ending in `/` for what dist/ holds). */
export function importGraph(files = sourceFiles()): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = new Set<string>();
    for (const request of requests(file)) {
      const built = fromBuild(request, file);
      if (built !== undefined) {
        targets.add(built);
        continue;
      }
      const resolved = ts.resolveModuleName(request, path.join(ROOT, file), OPTIONS, ts.sys)
        .resolvedModule?.resolvedFileName;
      if (resolved === undefined) continue;
      const target = relative(resolved);
      if (!target.startsWith("..") && !target.split("/").includes("node_modules")) {
        targets.add(target);
      }
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

/**
 * The strongly connected components of more than one file (or a file that
 * imports itself): each is a set of files that all reach each other, i.e.
 * every import cycle lies within one. Files sorted; components sorted by
 * their first file.
 */
export function importCycles(graph: Map<string, string[]>): string[][] {
  // Tarjan's algorithm.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) {
      components.push(component.sort());
    }
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return components.sort((a, b) => a[0].localeCompare(b[0]));
}

/** The top folder of a project path (`components/`), or the file itself at the root. */
export const folderOf = (file: string) => (file.includes("/") ? `${file.split("/")[0]}/` : file);

/** Every import from one top folder into another, as `from → to` with the files that make it. */
export function folderArrows(graph: Map<string, string[]>): Map<string, string[]> {
  const arrows = new Map<string, string[]>();
  for (const [file, targets] of graph) {
    for (const target of targets) {
      const [from, to] = [folderOf(file), folderOf(target)];
      if (from === to) continue;
      const key = `${from} → ${to}`;
      arrows.set(key, [...(arrows.get(key) ?? []), `${file} → ${target}`]);
    }
  }
  return arrows;
}
