// memory(flags): the XS machine's memory counters (see memory.c). lin only.
export default function memory(flags) @ "xs_mcsim_memory";
