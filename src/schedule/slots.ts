import cron from 'node-cron';

const MINUTE = 60_000;
/** How far back a missed slot is looked for at start-up. */
export const CATCH_UP_WINDOW_MS = 8 * 24 * 60 * MINUTE;

/** True when `expression` is a valid node-cron expression. */
export function isValidSchedule(expression: string): boolean {
  return cron.validate(expression);
}

/** The latest slot of `expression` at or before `now` (minute precision), within the catch-up window. */
export function previousSlot(expression: string, now: Date): Date | null {
  const task = cron.createTask(expression, () => {}, { timezone: 'Etc/UTC' });
  try {
    let t = Math.floor(now.getTime() / MINUTE) * MINUTE;
    const stop = now.getTime() - CATCH_UP_WINDOW_MS;
    for (; t > stop; t -= MINUTE) if (task.match(new Date(t))) return new Date(t);
    return null;
  } finally {
    void task.destroy();
  }
}

/** The first slot of `expression` after `now` (minute precision), within the window. */
export function nextSlot(expression: string, now: Date): Date | null {
  const task = cron.createTask(expression, () => {}, { timezone: 'Etc/UTC' });
  try {
    let t = Math.floor(now.getTime() / MINUTE) * MINUTE + MINUTE;
    const stop = now.getTime() + CATCH_UP_WINDOW_MS;
    for (; t < stop; t += MINUTE) if (task.match(new Date(t))) return new Date(t);
    return null;
  } finally {
    void task.destroy();
  }
}
