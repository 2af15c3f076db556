type Listeners<E> = { [K in keyof E]?: Set<E[K]> };

/** A minimal typed event emitter: `on` answers its own unsubscribe function. */
export class TypedEvents<E extends { [K in keyof E]: (...args: never[]) => void }> {
  private listeners: Listeners<E> = {};

  /** Calls `listener` on each `event` until the returned function is called. */
  on<K extends keyof E>(event: K, listener: E[K]): () => void {
    (this.listeners[event] ??= new Set()).add(listener);
    return () => {
      this.listeners[event]?.delete(listener);
    };
  }

  protected emit<K extends keyof E>(event: K, ...args: Parameters<E[K]>): void {
    for (const listener of this.listeners[event] ?? []) (listener as (...a: Parameters<E[K]>) => void)(...args);
  }
}
