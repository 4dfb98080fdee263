// Host `instrumentation`: Moddable's Instrumentation.get/map, answered from the engine's memory
// counters (relative to the heap once the bundle loaded). Unknown names map to undefined.
import { memory } from "../xs/runtime";

const NAMES = ["Chunk used", "Slot used", "Chunk peak", "Slot peak", "Stack peak", "Timers"] as const;

const Instrumentation = Object.freeze({
  map(name: string): number | undefined {
    const i = NAMES.indexOf(name as typeof NAMES[number]);
    return i < 0 ? undefined : i + 1;
  },
  get(index: number): number | undefined {
    const m = memory(false);
    switch (index) {
      case 1: return m[0];
      case 2: return m[1] * 16; // bytes as on ESP32 (16-byte slots)
      case 3: return m[2];
      case 4: return m[3] * 16;
      case 5: return m[4];
      default: return undefined;
    }
  },
});

export default Instrumentation;
