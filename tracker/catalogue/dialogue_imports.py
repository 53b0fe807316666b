"""Texts of the civic-dialogue register's import and export kinds (tracker/imports/kinds/
documents.py and opinions.py): their names, their columns' meaning and their row problems."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "import.kind.documents": ("Dokumenti", "Documents"),
    "import.kind.opinions": ("Viedokļi", "Opinions"),

    # documents
    "import.col.documents.ref": ("Dokumenta TAP numurs (piemēram, 24-TA-1427) vai jūsu pašu atsauce dokumentam, kura TAP portālā nav; pēc tās atkārtots imports atpazīst dokumentu, un uz to norāda viedokļu fails. Dokumentu, ko uzrauga divi inkubatori, raksta divās rindās ar to pašu atsauci.", "The document's TAP number (e.g. 24-TA-1427) or your own reference for a document not on the TAP portal; a repeated import recognises the document by it, and the opinions file points at it. A document monitored by two incubators is two rows with the same reference."),
    "import.col.documents.title": ("Dokumenta nosaukums (3–500 rakstzīmes).", "The document's title (3–500 characters)."),
    "import.col.documents.institution": ("Iestāde, kas dokumentu izstrādāja (piemēram, ministrija vai pašvaldība).", "The institution that drafted it (e.g. a ministry or a municipality)."),
    "import.col.documents.kind": ("Dokumenta veids: law, cabinet_regulation, policy_document, municipal_binding_regulation, eu_act, other (vai latviskais nosaukums).", "Document kind: law, cabinet_regulation, policy_document, municipal_binding_regulation, eu_act, other (or the Latvian label)."),
    "import.col.documents.level": ("Līmenis: national, municipal vai eu (vai latviskais nosaukums).", "Level: national, municipal or eu (or the Latvian label)."),
    "import.col.documents.published_on": ("Publicēšanas datums.", "The date it was published."),
    "import.col.documents.deadline": ("Sabiedriskās apspriešanas (atzinumu sniegšanas) termiņš; ne agrāk par publicēšanu.", "The deadline of the public consultation; not before publication."),
    "import.col.documents.adopted_on": ("Pieņemšanas datums; ne agrāk par publicēšanu.", "The date it was adopted; not before publication."),
    "import.col.documents.url": ("Saite uz dokumentu (tikai http:// vai https://).", "A link to the document (http:// or https:// only)."),
    "import.col.documents.topics": ("Tēmas, atdalītas ar ;.", "Topics, separated by ;."),
    "import.col.documents.incubator": ("Inkubators, kas dokumentu uzrauga (KURZEME, LATGALE, VIDZEME, ZEMGALE); tukšs: darbiniekiem viņu inkubators, vadītājiem pati programma.", "The incubator that monitors the document (KURZEME, LATGALE, VIDZEME, ZEMGALE); empty: staff's own incubator, the programme itself for managers."),
    "import.col.documents.monitored_from": ("Datums, kopš kura inkubators dokumentu uzrauga, programmas periodā; tukšs: jau zināmai uzraudzībai paliek tās datums, jaunai – šodiena. Vadītāja rinda bez inkubatora un šī datuma maina tikai dokumenta datus.", "The date the incubator has monitored the document since, within the programme; empty: a monitoring already recorded keeps its date, a new one starts today. A manager's row with neither incubator nor this date changes the document's facts only."),

    # opinions
    "import.col.opinions.ref": ("Jūsu pašu viedokļa atsauce, vienreizēja inkubatorā; pēc tās atkārtots imports atpazīst viedokli.", "Your own reference of the opinion, unique within the incubator; a repeated import recognises the opinion by it."),
    "import.col.opinions.incubator": ("Inkubatora kods (KURZEME, LATGALE, VIDZEME, ZEMGALE); tukšs: darbiniekiem viņu inkubators, vadītājiem programmas pašas viedoklis.", "The incubator's code (KURZEME, LATGALE, VIDZEME, ZEMGALE); empty: staff's own incubator, the programme's own opinion for managers."),
    "import.col.opinions.document_ref": ("Dokumenta atsauce (dokumentu faila ref kolonna): dokumentam jābūt reģistrā vai tajā pašā darbgrāmatā.", "The document's reference (the ref column of the documents file): the document must be in the register or in the same workbook."),
    "import.col.opinions.reg_nos": ("Autoru (organizāciju) reģistrācijas numuri, atdalīti ar ; – kopīgam viedoklim katra autora numurs.", "The authors' (organisations') registration numbers, separated by ; – for a joint opinion, each author's."),
    "import.col.opinions.submitted_on": ("Iesniegšanas datums programmas periodā, ne nākotnē.", "The date submitted, within the programme, not in the future."),
    "import.col.opinions.channel": ("Kā viedoklis iesniegts: tap_portal, letter, consultation_meeting, working_group (vai latviskais nosaukums).", "How it was submitted: tap_portal, letter, consultation_meeting, working_group (or the Latvian label)."),
    "import.col.opinions.summary": ("Viedokļa kopsavilkums (3–5000 rakstzīmes).", "A summary of the opinion (3–5000 characters)."),
    "import.col.opinions.outcome": ("Iznākums: pending (noklusējums), taken_into_account, partly_taken_into_account, not_taken_into_account, no_answer (vai latviskais nosaukums).", "Outcome: pending (the default), taken_into_account, partly_taken_into_account, not_taken_into_account, no_answer (or the Latvian label)."),
    "import.col.opinions.answered_on": ("Atbildes datums: obligāts, ja atbilde saņemta (ņemts vērā, daļēji, nav ņemts vērā), citādi tukšs; ne agrāk par iesniegšanu un ne nākotnē.", "The date of the answer: required with an answer (taken, partly, not taken into account), else empty; not before the opinion, not in the future."),
    "import.col.opinions.status": ("draft vai submitted (noklusējums); approved un returned tikai administratoram, kas ielādē esošus ierakstus.", "draft or submitted (the default); approved and returned only by an administrator loading existing records."),

    # row problems
    "error.import_document_differs": ("šī dokumenta dati atšķiras no {first}. rindas ar to pašu atsauci; katrā dokumenta rindā tiem jābūt vienādiem", "the document's facts differ from row {first} with the same reference; every row of a document gives the same"),
    "error.import_document_not_yours": ("šo dokumentu pievienoja cits inkubators, un jūsu inkubators to neuzrauga: tā datus var mainīt tie, kas to uzrauga, vai vadītājs (atstājiet saglabāto vērtību)", "another incubator added this document and yours does not monitor it: those who monitor it or a manager change its facts (keep the stored value)"),
    "error.import_opinion_status_not_allowed": ("viedokļus ievieto kā melnrakstus vai iesniegtus; statusu “apstiprināts” vai “atgriezts” var ielādēt tikai administrators", "opinions come in as drafts or submitted; only an administrator loading existing records may give the status approved or returned"),
    "error.import_unknown_authors": ("nav tādu organizāciju: {reg_nos} (vispirms importējiet organizācijas)", "no such organisations: {reg_nos} (import the organisations first)"),
}
