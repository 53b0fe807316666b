"""Text of the regions part (key -> (Latvian, English))."""

TEXTS: dict[str, tuple[str, str]] = {
    # filters and controls
    "regions.filters": ("Filtri", "Filters"),
    "regions.region": ("Plānošanas reģions", "Planning region"),
    "regions.incubator": ("Inkubators", "Incubator"),
    "regions.period": ("Periods", "Period"),
    "regions.type": ("Aktivitātes veids", "Activity type"),
    "regions.all": ("Visi", "All"),
    "regions.map_level": ("Karte", "Map"),
    "regions.level.municipality": ("Pašvaldības", "Municipalities"),
    "regions.level.region": ("Plānošanas reģioni", "Planning regions"),
    "regions.metric": ("Rādītājs", "Measure"),
    "regions.metric.organizations_supported": ("Atbalstītās organizācijas",
                                               "Organisations supported"),
    "regions.metric.activities": ("Aktivitātes", "Activities"),
    "regions.metric.attendees": ("Dalībnieki", "Attendees"),
    # map
    "regions.map_by_municipality": ("{metric} pa pašvaldībām", "{metric} by municipality"),
    "regions.map_by_region": ("{metric} pa plānošanas reģioniem",
                              "{metric} by planning region"),
    "regions.merged_hover": ("{name} (no 01.07.2025. {successor})",
                             "{name} (part of {successor} since 1 July 2025)"),
    "regions.attribution": (
        "Robežas: geoBoundaries (www.geoboundaries.org), Latvija ADM1; avota dati: Valsts zemes "
        "dienests; licence CC BY 4.0. Vienkāršojis projekts Jet-Lag-Latvia (MIT); atribūti "
        "(ATVK, ISO 3166-2, plānošanas reģions) un reģionu apvienojums pievienoti.",
        "Boundaries: geoBoundaries (www.geoboundaries.org), Latvia ADM1; source data Valsts "
        "zemes dienests (State Land Service of Latvia); licensed CC BY 4.0. Simplified by the "
        "Jet-Lag-Latvia project (MIT); attributes (ATVK, ISO 3166-2, planning region) and the "
        "region dissolve added."),
    "regions.definition": (
        "Organizācija pieder pašvaldībai, kas norādīta tās datos (nevis aktivitātes norises "
        "vietai). Atbalstīta ir organizācija, kas piedalījusies vismaz vienā uzskaitītā "
        "aktivitātē; aktivitātes ir dažādās aktivitātes ar vismaz vienu dalībnieku no "
        "attiecīgās vietas. Reģiona un inkubatora filtrs nosaka, kuru inkubatoru darbs tiek "
        "skaitīts.",
        "An organisation belongs to the municipality recorded on it (not to the place where an "
        "activity was held). Supported means it took part in at least one counted activity; "
        "activities are the distinct activities with at least one participant from the place. "
        "The region and incubator filters choose whose work is counted."),
    "regions.merged_note": (
        "Varakļānu novads 2025. gada 1. jūlijā pievienots Madonas novadam: tā organizācijas "
        "skaitītas Madonas novadā, un kartē bijušā Varakļānu novada teritorija iekrāsota ar "
        "Madonas novada vērtību. Varakļānu novada ATVK kods (0055000) nav pārbaudīts pret "
        "oficiālo klasifikatoru.",
        "Varakļāni municipality was merged into Madona municipality on 1 July 2025: its "
        "organisations are counted under Madonas novads, and the map colours the former "
        "Varakļāni area with Madona's value. Varakļāni's ATVK code (0055000) is not verified "
        "against the official classifier."),
    # tables
    "regions.by_region": ("Pa plānošanas reģioniem", "By planning region"),
    "regions.by_municipality": ("Pa pašvaldībām", "By municipality"),
    "regions.by_incubator": ("Pa inkubatoriem", "By incubator"),
    "regions.incubators_compared": ("Inkubatoru salīdzinājums", "Incubators compared"),
    "regions.col.region": ("Plānošanas reģions", "Planning region"),
    "regions.col.municipality": ("Pašvaldība", "Municipality"),
    "regions.col.iso": ("ISO kods", "ISO code"),
    "regions.col.incubator": ("Inkubators", "Incubator"),
    "regions.col.registered": ("Organizācijas trekerī", "Organisations in the tracker"),
    "regions.col.supported": ("Atbalstītās organizācijas", "Organisations supported"),
    "regions.col.share_supported": ("Atbalstīto daļa, %", "Share supported, %"),
    "regions.col.enrolled": ("Uzņemtās organizācijas", "Organisations enrolled"),
    "regions.col.activities": ("Aktivitātes", "Activities"),
    "regions.col.attendees": ("Dalībnieki", "Attendees"),
    "regions.col.hours": ("Stundas", "Hours"),
    "regions.col.activities_per_org": ("Aktivitātes uz organizāciju",
                                       "Activities per organisation"),
    "regions.col.attendees_per_org": ("Dalībnieki uz organizāciju",
                                      "Attendees per organisation"),
    "regions.col.hours_per_org": ("Atbalsta stundas uz organizāciju",
                                  "Support hours per organisation"),
    "regions.hours_per_org_short": ("Stundas uz organizāciju", "Hours per organisation"),
    "regions.unknown": ("Pašvaldība nav norādīta", "Municipality not recorded"),
    "regions.area_notes": (
        "Vidējie rādītāji — uz vienu atbalstīto organizāciju. Aktivitāti ar dalībniekiem no "
        "vairākām vietām skaita katrā no tām, tāpēc aktivitāšu un stundu kolonnu summa var "
        "pārsniegt programmas kopsummu.",
        "Averages are per organisation supported. An activity with participants from several "
        "places counts in each of them, so the activities and hours columns can add up to "
        "more than the programme total."),
    "regions.incubator_notes": (
        "Uzņemtās organizācijas — uzņemtas vai absolvējušas kohortās, kas pārklājas ar "
        "periodu. Atbalstīto organizāciju var būt vairāk nekā uzņemto: aktivitātēs piedalās "
        "arī citas organizācijas.",
        "Enrolled: admitted or graduated in cohorts that overlap the period. Organisations "
        "supported can exceed those enrolled: other organisations take part in activities "
        "too."),
    "regions.no_data": ("Ar šiem filtriem nav nevienas atbalstītas organizācijas.",
                        "No organisation was supported under these filters."),
    "regions.no_incubators": ("Ar šiem filtriem nav neviena inkubatora.",
                              "No incubator matches these filters."),
}
