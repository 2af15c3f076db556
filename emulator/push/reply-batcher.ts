/**
 * Coalesces the replies written in one tick into one send (the text protocol adds the last newline), so a
 * pipelined burst costs one write instead of one per line.
 */
export function batchedReplies(send: (text: string) => void): (line: string) => void {
  let pending: string[] | undefined;
  return (line) => {
    if (pending) {
      pending.push(line);
      return;
    }
    pending = [line];
    process.nextTick(() => {
      const lines = pending!;
      pending = undefined;
      send(lines.join('\n'));
    });
  };
}
