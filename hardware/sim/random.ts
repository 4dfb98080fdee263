// Seeded pseudo-random numbers for the simulator (mulberry32): the same seed gives the same day.
// Leaves out: anything cryptographic.

export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return function random(): number {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A table of standard normal deviates (Box–Muller), filled once; read with a cursor, no allocation. */
export class GaussianTable {
  readonly values: Float32Array;
  readonly mask: number;
  #cursor = 0;
  #random: () => number;

  constructor(random: () => number, bits = 12) {
    const size = 1 << bits;
    this.values = new Float32Array(size);
    this.mask = size - 1;
    this.#random = random;
    for (let i = 0; i < size; i += 2) {
      const u = 1 - random();
      const v = random();
      const r = Math.sqrt(-2 * Math.log(u));
      this.values[i] = r * Math.cos(2 * Math.PI * v);
      this.values[i + 1] = r * Math.sin(2 * Math.PI * v);
    }
  }

  next(): number {
    const x = this.values[this.#cursor];
    this.#cursor = (this.#cursor + 1) & this.mask;
    return x;
  }

  /** Jumps to a random place (between bursts, so windows do not repeat the same noise). */
  shuffle(): void {
    this.#cursor = Math.floor(this.#random() * (this.mask + 1));
  }
}
