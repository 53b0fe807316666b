"""Catalogue: verification of activities (review, evidence, closed quarters)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # refusals of the review rules (tracker.services.review)
    "error.not_allowed.approved": ("Apstiprinātu aktivitāti vairs nevar mainīt. Vadītājs to var atgriezt labošanai, kamēr tās ceturksnis nav slēgts.", "An approved activity can no longer be changed. A manager can return it for correction while its quarter is not closed."),
    "error.too_many": ("vienā reizē var būt ne vairāk kā {max}", "at most {max} at once"),
    "field.activity_ids": ("Aktivitātes", "Activities"),
    "field.sort": ("Kārtot pēc", "Sort by"),
    "field.activity_type": ("Aktivitātes veids", "Activity type"),
    "field.author_email": ("Autora e-pasts", "Author's e-mail"),
    "error.not_allowed.quarter_closed": ("Ceturksnis {quarter} ir slēgts: tā datus vairs nevar mainīt, un tajā nevar pievienot jaunus. Administrators to var atvērt no jauna.", "Quarter {quarter} is closed: its data can no longer change and nothing new can be added to it. An administrator can reopen it."),
    "error.not_allowed.not_author": ("Melnrakstu vai atgrieztu aktivitāti maina tikai tās autors.", "Only its author changes a draft or a returned activity."),
    "error.not_allowed.not_submitted": ("Apstiprināt vai atgriezt var tikai iesniegtu aktivitāti.", "Only a submitted activity can be approved or returned."),
    "error.not_allowed.already_submitted": ("Aktivitāte jau ir iesniegta pārbaudei.", "The activity has already been submitted for review."),
    "error.not_allowed.in_review": ("Aktivitāte gaida vadītāja pārbaudi; to var mainīt vadītājs. Ja kas jālabo, lūdziet to atgriezt.", "The activity is waiting for a manager's review; a manager can change it. If something needs fixing, ask for it to be returned."),
    "error.not_allowed.own_activity": ("Savu aktivitāti nevar pats apstiprināt vai atgriezt: to dara cits vadītājs.", "You cannot approve or return your own activity: another manager does."),
    "error.not_allowed.quarter_already_closed": ("Ceturksnis {quarter} jau ir slēgts.", "Quarter {quarter} is already closed."),
    "error.not_allowed.quarter_not_over": ("Ceturksnis {quarter} vēl nav beidzies (līdz {end}).", "Quarter {quarter} is not over yet (until {end})."),
    "error.not_allowed.quarter_has_open_activities": ("Ceturksni {quarter} nevar slēgt: {count} aktivitātes vēl nav apstiprinātas.", "Quarter {quarter} cannot be closed: {count} activities are not approved yet."),
    "error.not_allowed.quarter_not_closed": ("Ceturksnis {quarter} nav slēgts.", "Quarter {quarter} is not closed."),
    "error.invalid_quarter": ("Nav tāda ceturkšņa.", "There is no such quarter."),
    "reports.all_closed": ("Visi skaitļi ir no slēgtiem ceturkšņiem.", "Every figure comes from closed quarters."),
    "reports.provisional": ("Provizoriski: šie ceturkšņi vēl nav slēgti, to skaitļi var mainīties: {quarters}.", "Provisional: these quarters are not closed yet, and their figures may change: {quarters}."),
    "error.unknown_form": ("Nezināma veidlapa.", "Unknown form."),
    "activities.restored": ("Atjaunots nesaglabātais ievads no {time}.", "Your unsaved entry from {time} is back."),
    "activities.discard": ("Atmest to", "Throw it away"),
    "activities.kept_hint": ("Ievadītais tiek glabāts, kamēr rakstāt: pārlādējot lapu, tas nepazudīs.", "What you enter is kept as you type: reloading the page loses nothing."),
    "imports.as_drafts": ("Aktivitātes bez statusa ievietot kā melnrakstus", "Bring activities without a status in as drafts"),
    "imports.as_drafts_help": ("Citādi tās ienāk kā iesniegtas un gaida vadītāja pārbaudi.", "Otherwise they come in as submitted and wait for a manager's review."),
    "reports.col.figures": ("Skaitļi", "Figures"),
    "reports.figures.closed": ("slēgts ceturksnis", "closed quarter"),
    "reports.figures.provisional": ("provizoriski", "provisional"),
    "field.review_comment": ("Komentārs autoram", "Comment for the author"),
    "field.reopen_reason": ("Iemesls", "Reason"),
    "field.quarter": ("Ceturksnis", "Quarter"),
}
