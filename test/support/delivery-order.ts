import { expect } from 'vitest';

/** One push as a pushport/client app was handed it: the push's own number, and the seq it came with. */
export type Handed = { n: number; seq: number | undefined };

/**
 * Checks what each uid's client was handed: every push once, and in the order its uid's store numbered them
 * (each with a seq, rising). Reports the uid, so a failure says whose deliveries went wrong.
 */
export function expectOnceInSeqOrder(handed: Map<string, Handed[]>): void {
  for (const [uid, list] of handed) {
    const ns = list.map((h) => h.n);
    const seqs = list.map((h) => h.seq);
    expect({ uid, dupes: ns.length - new Set(ns).size }).toEqual({ uid, dupes: 0 });
    expect({ uid, outOfOrder: seqs.filter((seq, i) => seq === undefined || (i > 0 && seq <= seqs[i - 1]!)) }).toEqual({ uid, outOfOrder: [] });
  }
}
