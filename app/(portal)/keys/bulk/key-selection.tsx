"use client";

import { createContext, useContext, useEffect, useRef, useState } from "react";

import { selectionId, type SelectedKey } from "@/lib/requests/bulk-drafts";

interface Selection {
  selected: ReadonlyMap<string, SelectedKey>;
  /** The keys on the page shown now. */
  pageKeys: readonly SelectedKey[];
  set: (keys: readonly SelectedKey[], on: boolean) => void;
  clear: () => void;
}

const SelectionContext = createContext<Selection | null>(null);

export function useKeySelection(): Selection {
  const selection = useContext(SelectionContext);
  if (!selection) throw new Error("useKeySelection is used outside KeySelection");
  return selection;
}

/**
 * The keys ticked for a bulk change. The page keys this by its filter, so the selection lasts
 * while paging through one filter's results and starts afresh when the filter changes.
 */
export function KeySelection({
  pageKeys,
  children,
}: {
  pageKeys: readonly SelectedKey[];
  children: React.ReactNode;
}) {
  const [selected, setSelected] = useState<ReadonlyMap<string, SelectedKey>>(new Map());
  const set = (keys: readonly SelectedKey[], on: boolean) =>
    setSelected((current) => {
      const next = new Map(current);
      for (const key of keys)
        if (on) next.set(selectionId(key), key);
        else next.delete(selectionId(key));
      return next;
    });
  return (
    <SelectionContext.Provider
      value={{ selected, pageKeys, set, clear: () => setSelected(new Map()) }}
    >
      {children}
    </SelectionContext.Provider>
  );
}

/** The header's box: ticks or clears every key on this page; mixed when some are ticked. */
export function SelectPageCheckbox() {
  const { selected, pageKeys, set } = useKeySelection();
  const ticked = pageKeys.filter((key) => selected.has(selectionId(key))).length;
  const box = useRef<HTMLInputElement>(null);
  const some = ticked > 0 && ticked < pageKeys.length;
  useEffect(() => {
    if (box.current) box.current.indeterminate = some;
  }, [some]);
  return (
    <input
      ref={box}
      type="checkbox"
      aria-label="Select every key on this page"
      className="size-4 accent-primary"
      disabled={pageKeys.length === 0}
      checked={pageKeys.length > 0 && ticked === pageKeys.length}
      onChange={(event) => set(pageKeys, event.target.checked)}
    />
  );
}

/** One row's box. */
export function SelectKeyCheckbox({ keyRef }: { keyRef: SelectedKey }) {
  const { selected, set } = useKeySelection();
  return (
    <input
      type="checkbox"
      aria-label={`Select ${keyRef.name} in ${keyRef.hsm}`}
      className="size-4 accent-primary"
      checked={selected.has(selectionId(keyRef))}
      onChange={(event) => set([keyRef], event.target.checked)}
    />
  );
}
