import type { ReactNode, Ref } from "react";
import { STEPS, type StepId } from "./flow-step";

/** One step's card: a heading the page moves focus to when the step becomes current, then its content. */
export function StepPanel({ step, title, headingRef, children }: { step: StepId; title: string; headingRef: Ref<HTMLHeadingElement>; children: ReactNode }) {
  const index = STEPS.findIndex((s) => s.id === step);
  return (
    <section
      aria-labelledby={`step-${step}-heading`}
      data-step={step}
      className="flex flex-col gap-4 rounded-xl border border-slate-200 bg-white p-5 shadow-sm sm:p-6"
    >
      <div>
        <p className="text-sm font-semibold text-brand">
          Step {index + 1} of {STEPS.length}
        </p>
        <h2
          id={`step-${step}-heading`}
          ref={headingRef}
          tabIndex={-1}
          className="mt-1 text-xl font-bold text-ink focus:outline-none focus-visible:outline-3 focus-visible:outline-offset-4 focus-visible:outline-brand"
        >
          {title}
        </h2>
      </div>
      {children}
    </section>
  );
}
