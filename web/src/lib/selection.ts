import { useCallback, useState } from 'react';

/** Checkbox selection over the rows of a table page. */
export function useSelection() {
  const [ids, setIds] = useState<Set<string>>(new Set());
  const toggle = useCallback(
    (id: string) =>
      setIds((s) => {
        const n = new Set(s);
        if (n.has(id)) n.delete(id);
        else n.add(id);
        return n;
      }),
    [],
  );
  // "select all on this page" adds the page to the selection (and unticking removes just the page)
  const setAll = useCallback(
    (page: string[], on: boolean) =>
      setIds((s) => {
        const n = new Set(s);
        for (const id of page) {
          if (on) n.add(id);
          else n.delete(id);
        }
        return n;
      }),
    [],
  );
  const clear = useCallback(() => setIds(new Set()), []);
  return { ids, list: [...ids], toggle, setAll, clear, has: (id: string) => ids.has(id) };
}
