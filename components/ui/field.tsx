/** A labelled form field: its label, an optional hint, the control, and its error below, tied together for assistive tech. */
import type { ReactNode } from "react";

/** The look of a text input or select; add the border colour (`inputBorder`) and any size of its own. */
export const INPUT_CLASS =
  "mt-1 block w-full rounded-lg border bg-white px-3 py-2.5 text-base text-ink shadow-sm focus-visible:outline-3 focus-visible:outline-offset-1 focus-visible:outline-brand";

export function inputBorder(error: string | null | undefined): string {
  return error ? "border-red-700" : "border-slate-300";
}

/** The ids an input points to: its hint (when it has one) and its error (when shown). */
export function describedBy(id: string, error: string | null | undefined, hint = false): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

export function Field({ id, label, error, hint, children }: { id: string; label: string; error?: string | undefined; hint?: string; children: ReactNode }) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-semibold text-ink">
        {label}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="text-sm text-ink-muted">
          {hint}
        </p>
      ) : null}
      {children}
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-sm font-medium text-red-800" data-testid={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
