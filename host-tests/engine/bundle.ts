// Bundles an XS-side entry for the host engine with esbuild: the engine runtime first, then the entry;
// firmware platform modules (timer, preference, http, embedded:io/* ...) are mapped to the host
// implementations in host-modules/, `mc/config` to the manifest's config merged with the test's.
import { build, type Plugin } from "esbuild";
import { existsSync, readFileSync } from "node:fs";
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

/** Returns the bundle as one script (IIFE) for xsnap's `e` command. */
export async function bundle(options: BundleOptions): Promise<string> {
  const entry = path.resolve(repoRoot, options.entry);
  if (!existsSync(entry)) throw new Error(`XS entry not found: ${entry}`);
  const runtime = path.join(engineDir, "xs/runtime.ts");
  const config = { ...manifestConfig(), ...(options.config ?? {}) };
  const result = await build({
    stdin: {
      contents: `import ${JSON.stringify(runtime)};\nimport ${JSON.stringify(entry)};\n`,
      resolveDir: repoRoot,
      sourcefile: "xs-host-entry.js",
      loader: "js",
    },
    bundle: true,
    write: false,
    format: "iife",
    target: "es2022",
    platform: "neutral",
    mainFields: ["module", "main"],
    resolveExtensions: [".ts", ".js", ".mjs"],
    define: options.defines,
    plugins: [platformPlugin(config)],
    sourcemap: options.sourcemap ? "inline" : false,
    logLevel: "silent",
    legalComments: "none",
    charset: "utf8",
  });
  return result.outputFiles[0].text;
}
