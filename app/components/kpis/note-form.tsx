/** The KPI page's "add a note" form (editors only): a day and a line of text, on this KPI's chart or every chart of the project. */
import { CSRF_FIELD } from "@/lib/auth/csrf";
import { ANNOTATION_MAX_LENGTH } from "@/lib/annotations/store";
import { ActionForm } from "@/app/components/forms/action-form";
import { addNoteAction } from "@/app/projects/[slug]/kpis/[id]/actions";

export function NoteForm({ project, kpi, title, csrfToken, today }: { project: string; kpi: string; title: string; csrfToken: string; today: string }) {
  return (
    <ActionForm action={addNoteAction} className="note-form">
      <input type="hidden" name={CSRF_FIELD} value={csrfToken} />
      <input type="hidden" name="project" value={project} />
      <input type="hidden" name="kpi" value={kpi} />
      <fieldset>
        <legend>Add a note to the chart</legend>
        <div className="fields">
          <div>
            <label htmlFor="note-at">Day</label>
            <input id="note-at" name="at" type="date" defaultValue={today} required />
          </div>
          <div className="note-text">
            <label htmlFor="note-text">What happened</label>
            <input id="note-text" name="text" type="text" maxLength={ANNOTATION_MAX_LENGTH} placeholder="moved to the new cluster" required />
          </div>
          <div>
            <label htmlFor="note-scope">On</label>
            <select id="note-scope" name="scope" defaultValue="kpi">
              <option value="kpi">this chart ({title})</option>
              <option value="project">every chart of the project</option>
            </select>
          </div>
        </div>
      </fieldset>
      {/* Outside the fieldset, so the one-line answer stands beside it. */}
      <button type="submit">Add note</button>
    </ActionForm>
  );
}
