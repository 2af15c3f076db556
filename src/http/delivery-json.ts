import { isRefusal, QUEUED, type PushAnswer } from '../hub/push-answer.ts';
import type { PushParse } from '../wire/push-message.ts';

// Written as text, key by key in the order the API documents, so a batch answer needs no object per line.
const refusedJson = (reason: string) => `{"ok":false,"error":${JSON.stringify(reason)}}`;

/** One push's answer as JSON: reached some, queued for an offline uid (it had a ttl), reached nobody, or refused. */
export function deliveryJson(answer: PushAnswer): string {
  if (isRefusal(answer)) return refusedJson(answer.refused);
  if (answer === QUEUED) return '{"ok":true,"delivered":0,"queued":true}';
  return `{"ok":${answer > 0},"delivered":${answer}}`;
}

/**
 * A batch's answer as JSON: one result per parsed line, in order (a bad line its error, a valid one the next of
 * `answers`), and the connections reached in all, written straight to text.
 */
export function batchJson(parsed: readonly PushParse[], answers: readonly PushAnswer[]): string {
  let json = '{"results":[';
  let next = 0;
  let total = 0;
  for (let i = 0; i < parsed.length; i++) {
    const line = parsed[i]!;
    if (i > 0) json += ',';
    if (!line.ok) {
      json += refusedJson(line.error);
      continue;
    }
    const answer = answers[next++] ?? 0;
    if (typeof answer === 'number' && answer > 0) total += answer;
    json += deliveryJson(answer);
  }
  return `${json}],"delivered":${total}}`;
}
