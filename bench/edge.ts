/** Placeholder until the edge bench lands. */
export async function runEdge(_print: (line: object) => void, progress: (text: string) => void): Promise<boolean> {
  progress('edge bench not built yet');
  return true;
}
