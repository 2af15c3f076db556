import { describe, expect, it } from 'vitest';
import { AlarmSchedule } from '../../worker/alarm-schedule.ts';

// The alarm part of a Durable Object's storage, counting the calls.
function fakeStorage(alarm: number | null = null) {
  const calls: string[] = [];
  const storage = {
    alarm,
    getAlarm: async () => {
      calls.push('get');
      return storage.alarm;
    },
    setAlarm: async (at: number) => {
      calls.push(`set ${at}`);
      storage.alarm = at;
    },
  };
  return { storage, calls, schedule: new AlarmSchedule(storage as unknown as DurableObjectStorage) };
}

describe('AlarmSchedule', () => {
  it('sets the alarm once, then answers later deadlines without storage and moves it only earlier', async () => {
    const { storage, calls, schedule } = fakeStorage();
    await schedule.atMost(5000);
    expect(schedule.atMost(9000)).toBeUndefined();
    await schedule.atMost(3000);
    expect(calls).toEqual(['get', 'set 5000', 'get', 'set 3000']);
    expect(storage.alarm).toBe(3000);
  });

  it('keeps an earlier alarm it finds after a wake-up, and sets the next one itself when the alarm runs', async () => {
    const { storage, calls, schedule } = fakeStorage(1000);
    await schedule.atMost(5000);
    expect(schedule.atMost(2000)).toBeUndefined();
    await schedule.fired(7000);
    expect(schedule.atMost(8000)).toBeUndefined();
    expect(calls).toEqual(['get', 'set 7000']);
    expect(storage.alarm).toBe(7000);
  });
});
