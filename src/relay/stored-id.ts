/** A stored push's id travels in front of its message, `<length>:<id>`, or `-` when it has none. */
export function withId(id: string | undefined, message: string): string {
  return id === undefined ? `-${message}` : `${id.length}:${id}${message}`;
}

/** Reads what withId wrote. */
export function splitId(text: string): { id: string | undefined; message: string } {
  if (text.startsWith('-')) return { id: undefined, message: text.slice(1) };
  const colon = text.indexOf(':');
  const end = colon + 1 + Number(text.slice(0, colon));
  return { id: text.slice(colon + 1, end), message: text.slice(end) };
}
