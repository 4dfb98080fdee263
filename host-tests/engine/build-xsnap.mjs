#!/usr/bin/env node
// Builds the engine's patched xsnap-worker (postinstall). Copies the XS and xsnap C sources shipped in
// node_modules/@agoric/xsnap to node_modules/.xs-engine/ (outside git), applies our edits (below, as
// anchored text replacements: each anchor must match exactly once, or the build stops) and compiles
// with make + cc. No network. Skips the build when the stamp (xsnap version + edits) is unchanged.
//
// The edits:
//  (a) peak counters: current chunks/slots in use, peakChunksSize, peakHeapCount and a stack
//      high-water mark, relative to a baseline taken after the test bundle has loaded; reported in the
//      meter JSON of every reply, readable from XS as xsPeak(reset), reset by the `P` command;
//  (b) fixed heap: `-H chunks,slots,stack,fixed` — stack slots at creation; with fixed=1, xsFixHeap()
//      caps the heap at baseline + chunks bytes and baseline + slots slots. Past the cap XS collects
//      garbage, then aborts with "not enough memory" (exit 11), as a device with a fixed heap does;
//  (c) that abort, and a stack overflow, first print the JavaScript frames they happened in (one stderr
//      line, innermost first).
//
// Environment: XS_ENGINE_DEBUG=1 also builds the debug worker; XS_ENGINE_FORCE=1 rebuilds;
// MAKEFLAGS defaults to -j2.
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const pkgDir = path.join(root, "node_modules/@agoric/xsnap");
const out = path.join(root, "node_modules/.xs-engine");
const started = Date.now();

// The stack counters (xsMemory.c) as the run loop (xsRun.c) and the overflow check (xsAPI.c) see them.
const STACK_EXTERNS = `extern txSlot* gxEngineStackPeak;
extern txSlot* gxEngineStackBase;
extern int gxEngineStackPause;
extern long gxEngineStackIdle;
extern long gxEngineDepthPeak;
extern long gxEngineStackTrace;
extern void fxEngineStackPeakHook(txMachine* the, long depth);`;

const EDITS = [
  // ---------- xsMemory.c: caps and stack high-water ----------
  {
    file: "moddable/xs/sources/xsMemory.c",
    find: "static void* fxFindChunk(txMachine* the, txSize size, txBoolean *once);",
    replace: `static void* fxFindChunk(txMachine* the, txSize size, txBoolean *once);
/* xs-engine: fixed heap caps (0 = none), stack high-water mark, counters relative to a baseline */
txSize gxEngineChunksLimit = 0;
txSize gxEngineHeapLimit = 0;
txSlot* gxEngineStackPeak = NULL;
/* device-equivalent stack depth: counted from where a device would enter JavaScript (gxEngineStackBase,
   set by the engine's runtime around timer callbacks, host events and calls; NULL: the stack's top),
   plus the idle depth (XS's intrinsics, on a device's stack too); frames while gxEngineStackPause > 0
   (the engine's bridge to Node, native on a device) are not counted */
txSlot* gxEngineStackBase = NULL;
int gxEngineStackPause = 0;
long gxEngineStackIdle = -1;
long gxEngineDepthPeak = 0;
/* XS_ENGINE_STACK_TRACE=<n>: every new device-equivalent peak above n prints its frames (stderr) */
long gxEngineStackTrace = 0;
extern void fxEngineFrames(txMachine* the, const char* what);
void fxEngineStackPeakHook(txMachine* the, long depth)
{
	char what[48];
	snprintf(what, sizeof(what), "device stack peak %ld", depth);
	fxEngineFrames(the, what);
}
static txSize gxEngineBaseChunks = 0;
static txSize gxEngineBaseSlots = 0;
static void fxEngineCheckChunks(txMachine* the, txSize size)
{
	if (gxEngineChunksLimit && (the->currentChunksSize + size > gxEngineChunksLimit)) {
		fxCollect(the, XS_COMPACT_FLAG | XS_ORGANIC_FLAG);
		if (the->currentChunksSize + size > gxEngineChunksLimit) {
			fxReport(the, "# Chunk allocation: %ld bytes failed in fixed size heap (not enough memory)\\n", (long)size);
			fxAbort(the, XS_NOT_ENOUGH_MEMORY_EXIT);
		}
	}
}
void fxEngineResetPeak(txMachine* the)
{
	the->peakChunksSize = the->currentChunksSize;
	the->peakHeapCount = the->currentHeapCount;
	gxEngineStackPeak = the->stack;
	if (gxEngineStackIdle < 0)
		gxEngineStackIdle = (long)(the->stackTop - the->stack);
	gxEngineDepthPeak = 0;
}
/* chunks in use, slots in use, peak chunks, peak slots (relative to the baseline), peak stack slots,
   device-equivalent peak stack slots */
void fxEngineCounters(txMachine* the, long* values)
{
	values[0] = (long)the->currentChunksSize - (long)gxEngineBaseChunks;
	values[1] = (long)the->currentHeapCount - (long)gxEngineBaseSlots;
	values[2] = (long)the->peakChunksSize - (long)gxEngineBaseChunks;
	values[3] = (long)the->peakHeapCount - (long)gxEngineBaseSlots;
	values[4] = (long)(the->stackTop - (gxEngineStackPeak ? gxEngineStackPeak : the->stack));
	values[5] = gxEngineDepthPeak;
}
/* xsStack(op): 1 = a device would enter JavaScript here (base = this frame), 0 = clear the base,
   2 = pause counting (bridge to Node), 3 = resume; returns the base state before (1 set, 0 not) */
void fxEngineStackOp(txMachine* the, int op, int* was)
{
	*was = gxEngineStackBase ? 1 : 0;
	if (op == 1) gxEngineStackBase = the->stack;
	else if (op == 0) gxEngineStackBase = NULL;
	else if (op == 2) gxEngineStackPause++;
	else if (op == 3 && gxEngineStackPause > 0) gxEngineStackPause--;
}
/* collect, take the baseline, cap the heap at baseline + budget when fixed */
void fxEngineFixHeap(txMachine* the, long budgetChunks, long budgetSlots, int fixed, long* base)
{
	fxCollect(the, XS_COMPACT_FLAG | XS_ORGANIC_FLAG);
	gxEngineBaseChunks = the->currentChunksSize;
	gxEngineBaseSlots = the->currentHeapCount;
	if (fixed) {
		gxEngineChunksLimit = gxEngineBaseChunks + (txSize)budgetChunks;
		gxEngineHeapLimit = gxEngineBaseSlots + (txSize)budgetSlots;
	}
	fxEngineResetPeak(the);
	base[0] = (long)gxEngineBaseChunks;
	base[1] = (long)gxEngineBaseSlots;
}`,
  },
  {
    file: "moddable/xs/sources/xsMemory.c",
    find: `	size = fxAdjustChunkSize(the, size);
	chunk = fxFindChunk(the, size, &once);`,
    replace: `	size = fxAdjustChunkSize(the, size);
	fxEngineCheckChunks(the, size);
	chunk = fxFindChunk(the, size, &once);`,
  },
  {
    file: "moddable/xs/sources/xsMemory.c",
    find: `	capacity = fxAdjustChunkSize(the, capacity);
	chunk = fxFindChunk(the, capacity, &once);`,
    replace: `	capacity = fxAdjustChunkSize(the, capacity);
	fxEngineCheckChunks(the, size);
	if (gxEngineChunksLimit && (the->currentChunksSize + capacity > gxEngineChunksLimit))
		capacity = size;
	chunk = fxFindChunk(the, capacity, &once);`,
  },
  {
    file: "moddable/xs/sources/xsMemory.c",
    find: `	txBlock* aBlock = the->firstBlock;
	size = fxAdjustChunkSize(the, size);`,
    replace: `	txBlock* aBlock = the->firstBlock;
	size = fxAdjustChunkSize(the, size);
	if (gxEngineChunksLimit && (size > aChunk->size) && (the->currentChunksSize + (size - aChunk->size) > gxEngineChunksLimit))
		return C_NULL;`,
  },
  {
    file: "moddable/xs/sources/xsMemory.c",
    find: `again:
	aSlot = the->freeHeap;
	if (aSlot) {`,
    replace: `again:
	aSlot = the->freeHeap;
	if (aSlot && !(gxEngineHeapLimit && (the->currentHeapCount >= gxEngineHeapLimit))) {`,
  },
  {
    file: "moddable/xs/sources/xsMemory.c",
    find: "		if (!the->minimumHeapCount) {",
    replace: "		if (!the->minimumHeapCount || (gxEngineHeapLimit && (the->currentHeapCount >= gxEngineHeapLimit))) {",
  },
  {
    file: "moddable/xs/sources/xsRun.c",
    find: `#include "xsAll.h"`,
    replace: `#include "xsAll.h"
${STACK_EXTERNS}
#define mxEngineDepth(S) (gxEngineStackBase ? gxEngineStackIdle + (long)(gxEngineStackBase - (S)) : (long)(the->stackTop - (S)))`,
  },
  {
    file: "moddable/xs/sources/xsRun.c",
    find: `		fxAbort(the, XS_STACK_OVERFLOW_EXIT); \\
	} \\
	mxStack -= _COUNT
#else`,
    replace: `		fxAbort(the, XS_STACK_OVERFLOW_EXIT); \\
	} \\
	mxStack -= _COUNT; \\
	if (mxStack < gxEngineStackPeak) gxEngineStackPeak = mxStack; \\
	if (!gxEngineStackPause && (mxEngineDepth(mxStack) > gxEngineDepthPeak)) { \\
		gxEngineDepthPeak = mxEngineDepth(mxStack); \\
		if (gxEngineStackTrace && (gxEngineDepthPeak > gxEngineStackTrace)) { mxSaveState; fxEngineStackPeakHook(the, gxEngineDepthPeak); } \\
	}
#else`,
  },
  {
    file: "moddable/xs/sources/xsAPI.c",
    find: `#include "xsAll.h"`,
    replace: `#include "xsAll.h"
${STACK_EXTERNS}`,
  },
  {
    file: "moddable/xs/sources/xsAPI.c",
    find: `	txSlot* aStack = the->stack + theCount;
	if (theCount < 0) {`,
    replace: `	txSlot* aStack = the->stack + theCount;
	if (aStack < gxEngineStackPeak) gxEngineStackPeak = aStack;
	if (!gxEngineStackPause) {
		long depth = gxEngineStackBase ? gxEngineStackIdle + (long)(gxEngineStackBase - aStack) : (long)(the->stackTop - aStack);
		if (depth > gxEngineDepthPeak) {
			gxEngineDepthPeak = depth;
			if (gxEngineStackTrace && (depth > gxEngineStackTrace)) fxEngineStackPeakHook(the, depth);
		}
	}
	if (theCount < 0) {`,
  },
  // ---------- xsnap-worker.c: flags, host functions, meter fields, P command ----------
  {
    file: "xsnap-native/xsnap/sources/xsnap-worker.c",
    find: "static xsBooleanValue gxMeteringPrint = 0;",
    replace: `static xsBooleanValue gxMeteringPrint = 0;
/* xs-engine (implemented in xsMemory.c) */
extern void fxEngineResetPeak(xsMachine* the);
extern void fxEngineCounters(xsMachine* the, long* values);
extern void fxEngineStackOp(xsMachine* the, int op, int* was);
extern long gxEngineStackTrace;
extern void fxEngineFixHeap(xsMachine* the, long budgetChunks, long budgetSlots, int fixed, long* base);
static long gxEngineBudgetChunks = 0;
static long gxEngineBudgetSlots = 0;
static long gxEngineStack = 0;
static int gxEngineFixed = 0;
static void xs_engine_peak(xsMachine* the)
{
	long values[6];
	int i;
	fxEngineCounters(the, values);
	if ((xsToInteger(xsArgc) > 0) && xsTest(xsArg(0)))
		fxEngineResetPeak(the);
	xsResult = xsNewArray(6);
	for (i = 0; i < 6; i++)
		xsSetAt(xsResult, xsInteger(i), xsNumber((double)values[i]));
}
static void xs_engine_stack(xsMachine* the)
{
	int was = 0;
	fxEngineStackOp(the, xsToInteger(xsArg(0)), &was);
	xsResult = xsInteger(was);
}
static void xs_engine_fix_heap(xsMachine* the)
{
	long base[2];
	fxEngineFixHeap(the, gxEngineBudgetChunks, gxEngineBudgetSlots, gxEngineFixed, base);
	xsResult = xsNewArray(2);
	xsSetAt(xsResult, xsInteger(0), xsNumber((double)base[0]));
	xsSetAt(xsResult, xsInteger(1), xsNumber((double)base[1]));
}`,
  },
  {
    file: "xsnap-native/xsnap/sources/xsnap-worker.c",
    find: `		else if (!strcmp(argv[argi], "-v")) {`,
    replace: `		else if (!strcmp(argv[argi], "-H")) {
			long c = 0, s = 0, k = 0, f = 0;
			argi++;
			if ((argi >= argc) || (sscanf(argv[argi], "%ld,%ld,%ld,%ld", &c, &s, &k, &f) != 4)) {
				fprintf(stderr, "-H chunks,slots,stack,fixed\\n");
				return E_BAD_USAGE;
			}
			gxEngineBudgetChunks = c;
			gxEngineBudgetSlots = s;
			gxEngineStack = k;
			gxEngineFixed = (int)f;
		}
		else if (!strcmp(argv[argi], "-v")) {`,
  },
  {
    file: "xsnap-native/xsnap/sources/xsnap-worker.c",
    find: "	xsCreation* creation = &_creation;",
    replace: `	xsCreation* creation = &_creation;
	if (gxEngineStack > 0)
		_creation.stackCount = (xsIntegerValue)gxEngineStack;
	if (getenv("XS_ENGINE_STACK_TRACE"))
		gxEngineStackTrace = atol(getenv("XS_ENGINE_STACK_TRACE"));`,
  },
  {
    file: "xsnap-native/xsnap/sources/xsnap-worker.c",
    find: `	signal(SIGPIPE, fxSigPipeHandler);`,
    replace: `	fxEngineResetPeak(machine);
	signal(SIGPIPE, fxSigPipeHandler);`,
  },
  {
    file: "xsnap-native/xsnap/sources/xsnap-worker.c",
    find: `	xsDefine(xsGlobal, xsID("resetMeter"), xsResult, xsDontEnum);`,
    replace: `	xsDefine(xsGlobal, xsID("resetMeter"), xsResult, xsDontEnum);
	xsResult = xsNewHostFunction(xs_engine_peak, 1);
	xsDefine(xsGlobal, xsID("xsPeak"), xsResult, xsDontEnum);
	xsResult = xsNewHostFunction(xs_engine_fix_heap, 0);
	xsDefine(xsGlobal, xsID("xsFixHeap"), xsResult, xsDontEnum);
	xsResult = xsNewHostFunction(xs_engine_stack, 1);
	xsDefine(xsGlobal, xsID("xsStack"), xsResult, xsDontEnum);`,
  },
  {
    file: "xsnap-native/xsnap/sources/xsnap-worker.c",
    find: `				  "\\"allocate\\":%u,"`,
    replace: `				  "\\"allocate\\":%u,"
				  "\\"chunksInUse\\":%ld,\\"slotsInUse\\":%ld,\\"peakChunks\\":%ld,\\"peakSlots\\":%ld,\\"peakStack\\":%ld,\\"peakStackDevice\\":%ld,\\"fixed\\":%d,"`,
  },
  {
    file: "xsnap-native/xsnap/sources/xsnap-worker.c",
    find: `			 meterIndex, the->allocatedSpace, tsbuf);`,
    replace: `			 meterIndex, the->allocatedSpace,
			 counters[0], counters[1], counters[2], counters[3], counters[4], counters[5], gxEngineFixed,
			 tsbuf);`,
  },
  {
    file: "xsnap-native/xsnap/sources/xsnap-worker.c",
    find: `	char numeral64[] = "12345678901234567890"; // big enough for 64bit numeral`,
    replace: `	char numeral64[] = "12345678901234567890"; // big enough for 64bit numeral
	long counters[6];
	fxEngineCounters(the, counters);`,
  },
  {
    file: "xsnap-native/xsnap/sources/xsnap-worker.c",
    find: `			case 'q':
				done = 1;
				break;`,
    replace: `			case 'P': /* xs-engine: reset the peak counters */
				fxEngineResetPeak(machine);
				if (fxWriteOkay(toParent, meterIndex, machine, "", 0) != 0)
					c_exit(E_IO_ERROR);
				break;
			case 'q':
				done = 1;
				break;`,
  },
  // ---------- xsnapPlatform.c: a memory or stack abort names the JavaScript frames it happened in ----------
  {
    file: "xsnap-native/xsnap/sources/xsnapPlatform.c",
    find: `void fxAbort(txMachine* the, int status)
{
	switch (status) {`,
    replace: `void fxEngineFrames(txMachine* the, const char* what)
{
	/* xs-engine: one line, innermost frame first, so a fixed-heap or stack failure says where it happened */
	char name[128];
	txSlot* frame = the->frame;
	int depth = 0;
	fprintf(stderr, "# %s in:", what);
	while (frame && (depth < 60)) {
		name[0] = 0;
		fxBufferFrameName(the, name, sizeof(name), frame, "");
		fprintf(stderr, "%s %s", depth ? " <" : "", name[0] ? name : "?");
		frame = frame->next;
		depth++;
	}
	fprintf(stderr, "\\n");
}
void fxAbort(txMachine* the, int status)
{
	if (status == XS_NOT_ENOUGH_MEMORY_EXIT) fxEngineFrames(the, "memory full");
	else if (status == XS_STACK_OVERFLOW_EXIT) fxEngineFrames(the, "stack overflow");
	switch (status) {`,
  },
];

function log(message) { process.stderr.write(`[xs-engine] ${message}\n`); }

function stamp() {
  const pkg = JSON.parse(readFileSync(path.join(pkgDir, "package.json"), "utf8"));
  const hash = createHash("sha256").update(JSON.stringify(EDITS)).update(pkg.version).update(process.env.XS_ENGINE_DEBUG ?? "").digest("hex");
  return { version: pkg.version, hash };
}

function main() {
  if (!existsSync(path.join(pkgDir, "moddable/xs/sources/xsMemory.c"))) {
    log(`@agoric/xsnap sources not found in ${pkgDir}; is it installed?`);
    process.exit(1);
  }
  const goals = process.env.XS_ENGINE_DEBUG === "1" ? ["release", "debug"] : ["release"];
  const { version, hash } = stamp();
  const stampFile = path.join(out, "stamp.json");
  const binary = (goal) => path.join(out, "xsnap-native/xsnap/build/bin/lin", goal, "xsnap-worker");
  if (process.env.XS_ENGINE_FORCE !== "1" && existsSync(stampFile) && goals.every((g) => existsSync(binary(g)))) {
    try {
      if (JSON.parse(readFileSync(stampFile, "utf8")).hash === hash) { log("patched xsnap-worker up to date"); return; }
    } catch { /* rebuild */ }
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const dir of ["moddable/xs/includes", "moddable/xs/platforms", "moddable/xs/sources",
    "moddable/modules/data/text", "moddable/modules/data/base64",
    "xsnap-native/xsnap/sources", "xsnap-native/xsnap/makefiles"]) {
    cpSync(path.join(pkgDir, dir), path.join(out, dir), { recursive: true });
  }
  for (const edit of EDITS) {
    const file = path.join(out, edit.file);
    const text = readFileSync(file, "utf8");
    const count = text.split(edit.find).length - 1;
    if (count !== 1) {
      log(`patch anchor found ${count} times (expected 1) in ${edit.file}:\n${edit.find}`);
      process.exit(1);
    }
    writeFileSync(file, text.replace(edit.find, () => edit.replace));
  }
  const env = { ...process.env, MAKEFLAGS: process.env.MAKEFLAGS ?? "-j2" };
  for (const goal of goals) {
    log(`building ${goal} xsnap-worker (make, cc) …`);
    const r = spawnSync("make", [
      `MODDABLE=${path.join(out, "moddable")}`, `GOAL=${goal}`, `XSNAP_VERSION=${version}`,
      `CC=cc "-D__has_builtin(x)=1"`, "-f", "xsnap-worker.mk",
    ], { cwd: path.join(out, "xsnap-native/xsnap/makefiles/lin"), env, stdio: ["ignore", "inherit", "inherit"] });
    if (r.status !== 0 || !existsSync(binary(goal))) {
      log(`build failed (${r.error?.message ?? `make exited ${r.status}`}); the engine needs cc and make`);
      process.exit(1);
    }
  }
  writeFileSync(stampFile, JSON.stringify({ version, hash, builtAt: new Date().toISOString(), seconds: (Date.now() - started) / 1000 }, null, 2));
  log(`patched xsnap-worker built in ${((Date.now() - started) / 1000).toFixed(1)} s: ${binary("release")}`);
}

main();
