"""People trained: how the indicator counts, and the administrator's form for its rule."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "indicator.help.people_trained": ("skaitītas personas, katra vienreiz: persona tiek ieskaitīta dienā, kad tās apmeklētās stundas aktivitātēs ({types}) sasniedz {hours} stundas (apmeklētās stundas vai visas aktivitātes ilgums). Noteikumu nosaka administrators lapā “Mērķi”.", "counts people, each once: a person counts on the day their attended hours of {types} reach {hours} hours (the hours they attended, or the whole activity's). An administrator sets the rule on the Targets page."),
    "admin.method.people_trained": ("personas, kas izpildījušas apmācību noteikumu", "people who met the training rule"),
    "admin.trained.title": ("Kas ir apmācīta persona", "Who counts as trained"),
    "admin.trained.intro": ("Rādītājs “Apmācīti NVO vadītāji un biedri” skaita personas, kuru apmeklētās stundas izvēlēto veidu aktivitātēs sasniedz noteikto stundu skaitu.", "“NGO leaders and members trained” counts the people whose attended hours of the chosen activity types reach the hours set."),
    "admin.trained.current": ("Pašlaik: vismaz {hours} stundas ({types}).", "Now: at least {hours} hours ({types})."),
    "admin.trained.save": ("Saglabāt noteikumu", "Save the rule"),
    "admin.trained.confirm": ("Mainīt noteikumu uz vismaz {hours} stundām ({types})? Apmācīto personu skaits mainīsies visās lapās, pārskatos un eksportos, arī par pagātni.", "Change the rule to at least {hours} hours ({types})? The number of people trained changes on every page, report and export, for the past too."),
    "admin.trained.confirm_yes": ("Jā, mainīt", "Yes, change it"),
    "admin.trained.saved": ("Noteikums saglabāts: vismaz {hours} stundas ({types}).", "Rule saved: at least {hours} hours ({types})."),
    "admin.trained.unchanged": ("Noteikums jau ir tieši tāds; nekas netika mainīts.", "The rule is already exactly so; nothing was changed."),
}
