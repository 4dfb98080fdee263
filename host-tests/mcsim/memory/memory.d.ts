/** The XS machine's memory counters (lin only; host-sized slots and chunks). */
export interface XsMemory {
  /** Chunk heap bytes in use, the peak since the last reset, and the bytes reserved (allocated from the host). */
  chunks: number; chunksPeak: number; chunksReserved: number;
  /** Slots in use (live plus garbage not yet collected), the peak, and the slots reserved. */
  slots: number; slotsPeak: number; slotsReserved: number;
  /** Stack slots: allocated, in use now, and the deepest (mxInstrument builds only). */
  stackSize: number; stack: number; stackPeak?: number;
  /** Garbage collections (mxInstrument builds only). */
  collections?: number;
  slotBytes: number;
}
/** Reads the counters. Flags: 1 = collect garbage first (live figures), 2 = restart the peaks afterwards. */
declare function memory(flags?: number): XsMemory;
export default memory;
