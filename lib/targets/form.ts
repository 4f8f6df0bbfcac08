/**
 * The targets page's form: text fields in, a target saved or errors per field out. The page
 * shows an error next to the field it is about and keeps what was typed.
 */
import { z } from "zod";
import type { Store } from "@/db/client";
import type { Config } from "@/lib/config/load";
import { UserError } from "@/lib/errors/user-error";
import { asSentence } from "@/lib/format/sentence";
import { setTarget } from "./store";

export interface TargetFormValues {
  dimension: string;
  value: string;
  warn: string;
}

export interface TargetFormState {
  values: TargetFormValues;
  errors: Partial<Record<keyof TargetFormValues | "form", string>>;
  /** A line saying what was saved, after a success. */
  saved: string | null;
}

export const emptyTargetForm: TargetFormState = { values: { dimension: "", value: "", warn: "" }, errors: {}, saved: null };

/** A number typed into a field: a comma works as the decimal point, as people type it. */
const typedNumber = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `Enter the ${what}.`)
    .transform((text) => Number(text.replace(",", ".")))
    .refine(Number.isFinite, `The ${what} must be a number.`);

const fields = z.object({
  dimension: z.string().trim(),
  value: typedNumber("target"),
  warn: z.union([z.string().trim().length(0).transform(() => undefined), typedNumber("warn margin").refine((n) => n >= 0, "The warn margin cannot be negative.")]),
});

export function formValues(form: FormData): TargetFormValues {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  return { dimension: text("dimension"), value: text("value"), warn: text("warn") };
}

/** Validates the fields and sets the target as `setBy`; the state to show next. */
export async function saveTargetForm(
  store: Store,
  config: Config,
  target: { project: string; kpi: string; setBy: string },
  values: TargetFormValues,
): Promise<TargetFormState> {
  const parsed = fields.safeParse(values);
  if (!parsed.success) {
    const errors: TargetFormState["errors"] = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as keyof TargetFormValues;
      // The warn union reports the plain "invalid input" of its first branch; the second branch says why.
      errors[field] ??= issue.code === "invalid_union" ? unionMessage(issue) : issue.message;
    }
    return { values, errors, saved: null };
  }
  const { dimension, value, warn } = parsed.data;
  try {
    const { changed } = await setTarget(store, config, { ...target, dimension, value, warn });
    const scope = dimension ? ` for ${dimension}` : "";
    return { ...emptyTargetForm, saved: changed ? `Target${scope} set to ${value}.` : `The target${scope} already was ${value}; nothing changed.` };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    // lib/targets says "KPI: message"; the field is the dimension when the message is about it.
    const message = error.message.replace(/^[a-z_]+: /, "");
    const field = /dimension|per metric/.test(message) ? "dimension" : /warn margin/.test(message) ? "warn" : error.kind === "invalid" ? "value" : "form";
    return { values, errors: { [field]: asSentence(message) }, saved: null };
  }
}

function unionMessage(issue: z.core.$ZodIssue): string {
  const branches = (issue as z.core.$ZodIssueInvalidUnion).errors;
  return branches.at(-1)?.[0]?.message ?? issue.message;
}
