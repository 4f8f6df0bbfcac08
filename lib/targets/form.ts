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
  owner: string;
  /** YYYY-MM-DD, as a date input sends it; empty: no due date. */
  due: string;
}

export interface TargetFormState {
  values: TargetFormValues;
  errors: Partial<Record<keyof TargetFormValues | "form", string>>;
  /** A line saying what was saved, after a success. */
  saved: string | null;
}

export const emptyTargetForm: TargetFormState = { values: { dimension: "", value: "", warn: "", owner: "", due: "" }, errors: {}, saved: null };

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
  return { dimension: text("dimension"), value: text("value"), warn: text("warn"), owner: text("owner"), due: text("due") };
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
  // An empty owner or due field is none; lib/targets checks what is typed (db/schema/targets.ts).
  const owner = values.owner.trim() || undefined;
  const due = values.due.trim() || undefined;
  try {
    const { changed } = await setTarget(store, config, { ...target, dimension, value, warn, owner, due });
    const scope = dimension ? ` for ${dimension}` : "";
    const extras = [owner && `owned by ${owner}`, due && `due ${due}`].filter(Boolean).join(", ");
    const what = `${value}${extras ? `, ${extras}` : ""}`;
    return { ...emptyTargetForm, saved: changed ? `Target${scope} set to ${what}.` : `The target${scope} already was ${what}; nothing changed.` };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    // The contract's checks of the owner and due date say "owner: …" / "due: …".
    const about = /^(owner|due): /.exec(error.message)?.[1] as "owner" | "due" | undefined;
    if (about) return { values, errors: { [about]: asSentence(`${FIELD_NAMES[about]} ${error.message.slice(about.length + 2)}`) }, saved: null };
    // lib/targets says "KPI: message"; the field is the dimension when the message is about it.
    const message = error.message.replace(/^[a-z_]+: /, "");
    const field = /dimension|per metric/.test(message) ? "dimension" : /warn margin/.test(message) ? "warn" : error.kind === "invalid" ? "value" : "form";
    return { values, errors: { [field]: asSentence(message) }, saved: null };
  }
}

const FIELD_NAMES = { owner: "the owner", due: "the due date" } as const;

function unionMessage(issue: z.core.$ZodIssue): string {
  const branches = (issue as z.core.$ZodIssueInvalidUnion).errors;
  return branches.at(-1)?.[0]?.message ?? issue.message;
}
