"use client";
/** One KPI's "set a target" form: errors next to their fields, what was typed kept on error. */
import { useActionState } from "react";
import type { TargetFormState } from "@/lib/targets/form";
import { saveTargetAction } from "@/app/projects/[slug]/targets/actions";

export interface TargetFormProps {
  project: string;
  kpi: string;
  title: string;
  unitLabel: string;
  csrfToken: string;
  /** null: the KPI has only the project entry; else the choices (a datalist for free text when `freeText`). */
  dimensions: { label: string; options: string[]; freeText: boolean; required: boolean } | null;
}

// Written out rather than imported: lib/targets/form.ts pulls database code into the browser bundle.
const EMPTY: TargetFormState = { values: { dimension: "", value: "", warn: "", owner: "", due: "" }, errors: {}, saved: null };

export function TargetForm({ project, kpi, title, unitLabel, csrfToken, dimensions }: TargetFormProps) {
  const [state, action, pending] = useActionState<TargetFormState, FormData>(saveTargetAction, EMPTY);
  const id = (field: string) => `${kpi}-${field}`;
  const invalid = (field: keyof TargetFormState["errors"]) =>
    state.errors[field] ? { "aria-invalid": true as const, "aria-describedby": id(`${field}-error`) } : {};
  const error = (field: keyof TargetFormState["errors"]) =>
    state.errors[field] && (
      <p id={id(`${field}-error`)} className="field-error">
        {state.errors[field]}
      </p>
    );
  return (
    <form action={action} aria-label={`Set the target for ${title}`} className="stack">
      <input type="hidden" name="csrf_token" value={csrfToken} />
      <input type="hidden" name="project" value={project} />
      <input type="hidden" name="kpi" value={kpi} />
      <div className="fields">
        {dimensions && (
          <div>
            <label htmlFor={id("dimension")}>{dimensions.label}</label>
            {dimensions.freeText ? (
              <>
                <input id={id("dimension")} name="dimension" list={id("dimensions")} defaultValue={state.values.dimension} required={dimensions.required} {...invalid("dimension")} />
                <datalist id={id("dimensions")}>
                  {dimensions.options.map((option) => (
                    <option key={option} value={option} />
                  ))}
                </datalist>
              </>
            ) : (
              <select id={id("dimension")} name="dimension" defaultValue={state.values.dimension} {...invalid("dimension")}>
                <option value="">Whole project</option>
                {dimensions.options.map((option) => (
                  <option key={option} value={option}>
                    {option}
                  </option>
                ))}
              </select>
            )}
            {error("dimension")}
          </div>
        )}
        <div>
          <label htmlFor={id("value")}>Target{unitLabel && ` (${unitLabel})`}</label>
          <input id={id("value")} name="value" inputMode="decimal" required defaultValue={state.values.value} {...invalid("value")} />
          {error("value")}
        </div>
        <div>
          <label htmlFor={id("warn")}>Warn margin{unitLabel && ` (${unitLabel})`}</label>
          <input id={id("warn")} name="warn" inputMode="decimal" placeholder="10 % of the target" defaultValue={state.values.warn} {...invalid("warn")} />
          {error("warn")}
        </div>
        <div>
          <label htmlFor={id("owner")}>Owner</label>
          <input id={id("owner")} name="owner" autoComplete="off" placeholder="a name or email" defaultValue={state.values.owner} {...invalid("owner")} />
          {error("owner")}
        </div>
        <div>
          <label htmlFor={id("due")}>Due date</label>
          <input id={id("due")} name="due" type="date" defaultValue={state.values.due} {...invalid("due")} />
          {error("due")}
        </div>
      </div>
      <div>
        <button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save target"}
        </button>
      </div>
      <div aria-live="polite">
        {state.errors.form && <p className="error">{state.errors.form}</p>}
        {state.saved && <p className="notice">{state.saved}</p>}
      </div>
    </form>
  );
}
