// Prepares an XS-side entry for the host engine with esbuild: the engine runtime first, then the entry,
// loaded by XS as separate ES modules (see bundle());
// firmware platform modules (timer, preference, http, embedded:io/* ...) are mapped to the host
// implementations in host-modules/, `mc/config` to the manifest's config merged with the test's.
import { build, transform, type Plugin } from "esbuild";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "./worker.ts";

const engineDir = path.join(repoRoot, "host-tests/engine");
const hostModules = path.join(engineDir, "host-modules");

/** Firmware module specifier → host implementation file (relative to host-modules/). */
export const MODULE_MAP: Readonly<Record<string, string>> = Object.freeze({
  "timer": "timer.ts",
  "time": "time.ts",
  "preference": "preference.ts",
  "http": "http.ts",
  "securesocket": "securesocket.ts",
  "resource": "resource.ts",
  "Resource": "resource.ts",
  "embedded:io/digital": "digital.ts",
  "embedded:io/analog": "analog.ts",
  "instrumentation": "instrumentation.ts",
  "crypt": "crypt.ts",
  "rsa": "rsa.ts",
});

export interface BundleOptions {
  entry: string;
  defines?: Record<string, string>;
  config?: Record<string, unknown>;
  sourcemap?: boolean;
}

function manifestConfig(): Record<string, unknown> {
  const file = path.join(repoRoot, "manifest.json");
  if (!existsSync(file)) return {};
  try {
    const manifest = JSON.parse(readFileSync(file, "utf8"));
    return manifest.config ?? {};
  } catch {
    return {};
  }
}

function platformPlugin(config: Record<string, unknown>): Plugin {
  return {
    name: "xs-host-modules",
    setup(b) {
      b.onResolve({ filter: /^(timer|time|preference|http|securesocket|resource|Resource|instrumentation|crypt|rsa|embedded:io\/(digital|analog))$/ }, (args) => {
        const file = path.join(hostModules, MODULE_MAP[args.path]);
        if (!existsSync(file)) return { errors: [{ text: `host module for "${args.path}" is not implemented (${file})` }] };
        return { path: file };
      });
      // Moddable's text/decoder and text/encoder modules: xsnap has both classes as globals.
      b.onResolve({ filter: /^text\/(decoder|encoder)$/ }, (args) => ({ path: path.join(hostModules, args.path === "text/decoder" ? "text-decoder.ts" : "text-encoder.ts") }));
      b.onResolve({ filter: /^mc\/config$/ }, () => ({ path: "mc/config", namespace: "xs-config" }));
      b.onLoad({ filter: /.*/, namespace: "xs-config" }, () => ({
        contents: `const config = Object.freeze(${JSON.stringify(config)});\nexport default config;\n`,
        loader: "js",
      }));
    },
  };
}

/**
 * Returns a script for xsnap's `e` command that loads the entry as separate ES modules.
 *
 * Why modules and not one bundle: XS keeps every top-level binding of a script or module on the stack
 * while that script or module body runs. One bundle puts the top-level bindings of every module in one
 * frame (the VEN entry needed 887 stack slots just to load as an IIFE, 578 as one flat script; 600
 * top-level `const`s cost ≈570 slots). On the device each module is separate (and preloaded), so the
 * host does the same: esbuild resolves the module graph once (metafile, platform modules mapped to
 * host-modules/), each module is transformed on its own (TypeScript → ES2022, `defines` applied), its
 * specifiers rewritten to the sibling files, and XS imports the generated entry. Files go to a
 * content-addressed directory under the OS temp dir (shared by every start with the same code; written
 * atomically, so parallel test workers can share it). After the `e` command, evaluate LOAD_CHECK: it
 * throws the import's error if the graph did not load.
 */
export async function bundle(options: BundleOptions): Promise<string> {
  const entry = path.resolve(repoRoot, options.entry);
  if (!existsSync(entry)) throw new Error(`XS entry not found: ${entry}`);
  const runtime = path.join(engineDir, "xs/runtime.ts");
  const config = { ...manifestConfig(), ...(options.config ?? {}) };
  const ENTRY = "xs-host-entry.js";
  const graph = await build({
    stdin: {
      contents: `import ${JSON.stringify(runtime)};\nimport ${JSON.stringify(entry)};\n`,
      resolveDir: repoRoot,
      sourcefile: ENTRY,
      loader: "js",
    },
    bundle: true,
    write: false,
    metafile: true,
    format: "esm",
    target: "es2022",
    platform: "neutral",
    mainFields: ["module", "main"],
    resolveExtensions: [".ts", ".js", ".mjs"],
    define: options.defines,
    plugins: [platformPlugin(config)],
    logLevel: "silent",
  });
  const inputs = graph.metafile!.inputs;
  const names = new Map<string, string>(); // metafile input path → output file name
  let n = 0;
  for (const input of Object.keys(inputs)) {
    const base = input === ENTRY ? "entry" : path.basename(input).replace(/\.[cm]?[jt]s$/, "").replace(/[^A-Za-z0-9_-]/g, "_");
    names.set(input, `${String(n++).padStart(3, "0")}-${base}.js`);
  }
  const files: [string, string][] = [];
  for (const [input, meta] of Object.entries(inputs)) {
    let source: string;
    let loader: "ts" | "js";
    if (input === ENTRY) {
      source = `import ${JSON.stringify(runtime)};\nimport ${JSON.stringify(entry)};\n`;
      loader = "js";
    } else if (input.startsWith("xs-config:")) {
      source = `const config = Object.freeze(${JSON.stringify(config)});\nexport default config;\n`;
      loader = "js";
    } else if (meta.format === "cjs") {
      // A CommonJS package file (e.g. saxes): XS loads ES modules only, so the package is bundled from
      // this file into one ES module whose default export is module.exports (import it as a default).
      const packed = await build({
        entryPoints: [path.resolve(repoRoot, input)], bundle: true, write: false, format: "esm", target: "es2022",
        platform: "neutral", mainFields: ["module", "main"], logLevel: "silent",
      });
      files.push([names.get(input)!, packed.outputFiles[0].text]);
      continue;
    } else {
      const file = path.resolve(repoRoot, input);
      source = readFileSync(file, "utf8");
      loader = /\.[cm]?ts$/.test(file) ? "ts" : "js";
    }
    const out = await transform(source, {
      loader,
      format: "esm",
      target: "es2022",
      define: options.defines,
      sourcemap: options.sourcemap ? "inline" : false,
      sourcefile: input,
      legalComments: "none",
      charset: "utf8",
      logLevel: "silent",
    });
    const targets = new Map<string, string>();
    for (const imp of meta.imports) {
      if (imp.original === undefined || imp.external) continue;
      const target = names.get(imp.path);
      if (target) targets.set(imp.original, target);
    }
    const code = out.code.replace(/(\bfrom\s*|\bimport\s*\(?\s*)(["'])([^"'\n]+)\2/g, (whole, lead: string, quote: string, spec: string) => {
      const target = targets.get(spec);
      return target ? `${lead}${quote}./${target}${quote}` : whole;
    });
    files.push([names.get(input)!, code]);
  }
  const hash = createHash("sha256");
  for (const [name, code] of files) hash.update(name).update("\0").update(code).update("\0");
  const dir = path.join(os.tmpdir(), "xs-host-modules", hash.digest("hex").slice(0, 20));
  if (!existsSync(path.join(dir, names.get(ENTRY)!))) {
    mkdirSync(dir, { recursive: true });
    // the entry last: its presence means the directory is complete
    for (const [name, code] of [...files.filter(([f]) => f !== names.get(ENTRY)), ...files.filter(([f]) => f === names.get(ENTRY))]) {
      const tmp = path.join(dir, `.${name}.${process.pid}.${Math.random().toString(36).slice(2)}`);
      writeFileSync(tmp, code);
      renameSync(tmp, path.join(dir, name));
    }
  }
  const main = path.join(dir, names.get(ENTRY)!);
  return `globalThis.__xsHostLoad = undefined;\nimport(${JSON.stringify(main)}).then(() => { globalThis.__xsHostLoad = true; }, (error) => { globalThis.__xsHostLoad = error; });\n`;
}

/** Evaluated after the loader script: throws the module graph's load error, if any. */
export const LOAD_CHECK = `if (globalThis.__xsHostLoad !== true) { const e = globalThis.__xsHostLoad; delete globalThis.__xsHostLoad; throw e === undefined ? new Error("the module graph did not finish loading") : e; } delete globalThis.__xsHostLoad;`;
