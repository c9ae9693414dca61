import type { ReactNode, Ref } from "react";

/** A step card's heading: a short line above it, then the title, which the page moves focus to when the step becomes current. */
export function StepHeading({ id, kicker, headingRef, children }: { id: string; kicker: ReactNode; headingRef: Ref<HTMLHeadingElement>; children: ReactNode }) {
  return (
    <div>
      <p className="text-sm font-semibold text-brand">{kicker}</p>
      <h2
        id={id}
        ref={headingRef}
        tabIndex={-1}
        className="mt-1 text-xl font-bold text-ink focus:outline-none focus-visible:outline-3 focus-visible:outline-offset-4 focus-visible:outline-brand"
      >
        {children}
      </h2>
    </div>
  );
}
