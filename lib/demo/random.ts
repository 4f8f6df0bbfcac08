/** A seeded random source for the demo: the same seed gives the same organisation. */
import prand from "pure-rand";

export class SeededRandom {
  private readonly generator: prand.RandomGenerator;

  constructor(seed: number) {
    this.generator = prand.xoroshiro128plus(seed);
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return prand.unsafeUniformIntDistribution(min, max, this.generator);
  }

  /** A float in [min, max). */
  float(min: number, max: number): number {
    return min + (this.int(0, 1_000_000 - 1) / 1_000_000) * (max - min);
  }

  chance(probability: number): boolean {
    return this.float(0, 1) < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }

  sha(): string {
    let sha = "";
    for (let i = 0; i < 5; i++) sha += this.int(0, 0xffffffff).toString(16).padStart(8, "0");
    return sha;
  }
}

/** Each item as often as its weight: `random.pick` from it picks an item with probability weight / total. */
export function weightedPool<T extends { weight: number }>(items: readonly T[]): T[] {
  return items.flatMap((item) => Array<T>(item.weight).fill(item));
}
