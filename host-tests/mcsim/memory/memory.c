/*
	The XS machine's own memory counters for the mcsim test app (lin only): chunk heap bytes and slots
	in use, their peaks and what is reserved, garbage collections, and the JS stack — current depth and,
	when XS is built with mxInstrument (mcconfig -i), the deepest it has been. Slot and chunk figures are
	the host's (a lin slot is 32 bytes, an ESP32 slot 16; chunks hold 64-bit pointers), so slot counts
	compare with the device, chunk bytes only roughly. Flags: 1 collects garbage first (then `slots` and
	`chunks` are the live heap), 2 restarts the peaks from the current use after reading them.
*/
#include "xsAll.h"
#include "xsmc.h"
#include "mc.xs.h"		// xsID_ values

void xs_mcsim_memory(xsMachine *the)
{
	txMachine *m = (txMachine *)the;
	txInteger flags = (xsmcArgc > 0) ? xsmcToInteger(xsArg(0)) : 0;
	txInteger reset = flags & 2;
	xsmcVars(1);
	if (flags & 1)
		xsCollectGarbage();
	xsmcSetNewObject(xsResult);
	xsmcSetInteger(xsVar(0), (txInteger)m->currentChunksSize); xsmcSet(xsResult, xsID_chunks, xsVar(0));
	xsmcSetInteger(xsVar(0), (txInteger)m->peakChunksSize); xsmcSet(xsResult, xsID_chunksPeak, xsVar(0));
	xsmcSetInteger(xsVar(0), (txInteger)m->maximumChunksSize); xsmcSet(xsResult, xsID_chunksReserved, xsVar(0));
	xsmcSetInteger(xsVar(0), (txInteger)m->currentHeapCount); xsmcSet(xsResult, xsID_slots, xsVar(0));
	xsmcSetInteger(xsVar(0), (txInteger)m->peakHeapCount); xsmcSet(xsResult, xsID_slotsPeak, xsVar(0));
	xsmcSetInteger(xsVar(0), (txInteger)m->maximumHeapCount); xsmcSet(xsResult, xsID_slotsReserved, xsVar(0));
	xsmcSetInteger(xsVar(0), (txInteger)(m->stackTop - m->stackBottom)); xsmcSet(xsResult, xsID_stackSize, xsVar(0));
	xsmcSetInteger(xsVar(0), (txInteger)(m->stackTop - m->stack)); xsmcSet(xsResult, xsID_stack, xsVar(0));
	xsmcSetInteger(xsVar(0), (txInteger)sizeof(txSlot)); xsmcSet(xsResult, xsID_slotBytes, xsVar(0));
#ifdef mxInstrument
	xsmcSetInteger(xsVar(0), (txInteger)(m->stackTop - m->stackPeak)); xsmcSet(xsResult, xsID_stackPeak, xsVar(0));
	xsmcSetInteger(xsVar(0), (txInteger)m->garbageCollectionCount); xsmcSet(xsResult, xsID_collections, xsVar(0));
	if (reset)
		m->stackPeak = m->stack;
#endif
	if (reset) {
		m->peakChunksSize = m->currentChunksSize;
		m->peakHeapCount = m->currentHeapCount;
	}
}
