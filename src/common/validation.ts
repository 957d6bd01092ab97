import { IsInt, IsOptional, Max, Min } from 'class-validator';

/**
 * An optional whole number from `min` to `max` (inclusive), refused with "must be at least …" or
 * "must be at most …" (`unit` appended, e.g. " minutes"), which BAD_USER_INPUT carries.
 */
export function OptionalIntBetween(min: number, max: number, unit = ''): PropertyDecorator {
  const rules = [
    IsOptional(),
    IsInt(),
    Min(min, { message: `must be at least ${min}${unit}` }),
    Max(max, { message: `must be at most ${max}${unit}` }),
  ];
  return (target, property) => {
    for (const rule of rules) rule(target, property as string);
  };
}
