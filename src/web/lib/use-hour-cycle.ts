import { useSyncExternalStore } from 'react';
import { hourCycle, onHourCycleChange, type HourCycle } from './clock';

/** The hour cycle, re-rendering the caller when it changes (every page that shows times calls it). */
export function useHourCycle(): HourCycle {
  return useSyncExternalStore(onHourCycleChange, hourCycle);
}
