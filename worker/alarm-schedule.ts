/**
 * The object's one alarm, shared by every deadline (idle and unidentified sockets, expiring pushes). It
 * remembers what it set, so that a deadline later than the pending alarm costs no storage call.
 */
export class AlarmSchedule {
  private readonly storage: DurableObjectStorage;
  // The alarm this instance knows is pending; unknown after a wake-up until it is asked.
  private pending: number | undefined;

  constructor(storage: DurableObjectStorage) {
    this.storage = storage;
  }

  /** Makes sure the alarm fires no later than `due`; answers at once when it already does. */
  atMost(due: number): Promise<void> | undefined {
    if (this.pending !== undefined && this.pending <= due) return undefined;
    this.pending = due;
    return this.set(due);
  }

  /**
   * The alarm went off and its handler found `next` (undefined: nothing left to watch). Set directly: the alarm
   * that is running must not pass for a pending one.
   */
  async fired(next: number | undefined): Promise<void> {
    this.pending = next;
    if (next !== undefined) await this.storage.setAlarm(next);
  }

  private async set(due: number): Promise<void> {
    const current = await this.storage.getAlarm();
    if (current !== null && current <= due) {
      this.pending = current;
      return;
    }
    await this.storage.setAlarm(due);
  }
}
