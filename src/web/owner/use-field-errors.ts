import { useState } from 'react';
import { explain, fieldProblem, type FieldProblem } from '../lib/api';

/**
 * One form's submission: `run` sends it, and a BAD_USER_INPUT naming one of `inputs` (the end of
 * its extensions.field, e.g. `slug` of `input.slug`) lands beside that input (`errorOf`); any
 * other failure is the form's `problem`. Resolves whether it went through.
 */
export function useFieldErrors<K extends string>(inputs: Readonly<Record<string, { input: K; label: string }>>) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [named, setNamed] = useState<FieldProblem<K> | null>(null);
  const run = async (work: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setProblem(null);
    setNamed(null);
    try {
      await work();
      return true;
    } catch (error) {
      const onField = fieldProblem(error, inputs);
      if (onField) setNamed(onField);
      else setProblem(explain(error));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const errorOf = (input: K): string | null => (named?.input === input ? named.message : null);
  return { busy, problem, errorOf, run };
}
