"""Text of the exports part: download buttons, the funder report, the reports page
(key -> (Latvian, English))."""

TEXTS: dict[str, tuple[str, str]] = {
    "export.csv": ("CSV", "CSV"),
    "export.xlsx": ("Excel", "Excel"),
    "export.png": ("PNG attēls", "PNG image"),
    "export.no_browser": (
        "Grafikus nevar saglabāt kā PNG: šajā datorā nav Chromium pārlūka (instalējiet "
        "chromium vai norādiet to mainīgajā BROWSER_PATH).",
        "Charts cannot be saved as PNG: there is no Chromium browser on this computer "
        "(install chromium or point BROWSER_PATH at it)."),
    "export.render_failed": ("Grafiku neizdevās uzzīmēt: {reason}",
                             "The chart could not be drawn: {reason}"),

    # The funder report (an Excel workbook)
    "reports.title": ("NVO reģionālie inkubatori 2025–2026: atskaite",
                      "Regional NGO incubators 2025–2026: report"),
    "reports.file_name": ("atskaite", "report"),
    "reports.sheet.summary": ("Kopsavilkums", "Summary"),
    "reports.sheet.charts": ("Grafiki", "Charts"),
    "reports.period": ("Periods", "Period"),
    "reports.region": ("Plānošanas reģions", "Planning region"),
    "reports.incubator": ("Inkubators", "Incubator"),
    "reports.type": ("Aktivitātes veids", "Activity type"),
    "reports.all": ("Visi", "All"),
    "reports.generated": ("Sagatavots", "Generated"),
    "reports.headline": ("Rādītāji un mērķi", "Indicators and targets"),
    "reports.map": ("Atbalstītās organizācijas pa pašvaldībām",
                    "Organisations supported by municipality"),
    "reports.charts": ("Grafiki", "Charts"),
    "reports.charts_missing": ("Grafiki atskaitē nav iekļauti. {reason}",
                               "The charts are not included. {reason}"),
    "reports.no_personal_data": (
        "Atskaitē nav personas datu: tikai kopsummas, bez kontaktpersonām, e-pastiem un "
        "tālruņiem.",
        "The report holds no personal data: totals only, no contact persons, e-mails or "
        "phone numbers."),
    "reports.location_note": (
        "Pašvaldība un reģions ir organizācijas atrašanās vieta, nevis aktivitātes norises "
        "vieta; beigušās pašvaldības pieskaitītas to pēctecēm.",
        "Municipality and region are where the organisation is located, not where an activity "
        "took place; municipalities that have ended count under their successor."),
    "reports.unknown_place": ("Nav norādīta", "Not recorded"),

    # Tables (page, report and `tracker export`)
    "reports.table.indicators": ("Rādītāji un mērķi", "Indicators and targets"),
    "reports.table.quarterly": ("Ceturkšņi pa inkubatoriem", "Quarters by incubator"),
    "reports.table.types": ("Aktivitāšu veidi", "Types of activity"),
    "reports.table.areas": ("Kapacitātes jomas", "Capacity areas"),
    "reports.table.regions": ("Pa plānošanas reģioniem", "By planning region"),
    "reports.table.municipalities": ("Pa pašvaldībām", "By municipality"),
    "reports.table.incubators": ("Pa inkubatoriem", "By incubator"),
    "reports.col.code": ("Kods", "Code"),
    "reports.col.indicator": ("Rādītājs", "Indicator"),
    "reports.col.unit": ("Mērvienība", "Unit"),
    "reports.col.actual": ("Vērtība periodā", "Value in the period"),
    "reports.col.target": ("Mērķis", "Target"),
    "reports.col.share": ("Izpilde, %", "Achieved, %"),
    "reports.col.actual_year": ("Vērtība {year}. gadā", "Value in {year}"),
    "reports.col.target_year": ("Mērķis {year}. gadam", "Target for {year}"),
    "reports.col.share_year": ("Izpilde {year}. gadā, %", "Achieved in {year}, %"),
    "reports.col.year": ("Gads", "Year"),
    "reports.col.quarter": ("Ceturksnis", "Quarter"),
    "reports.col.incubator_code": ("Inkubatora kods", "Incubator code"),
    "reports.col.incubator": ("Inkubators", "Incubator"),
    "reports.col.region_code": ("Reģiona kods", "Region code"),
    "reports.col.region": ("Plānošanas reģions", "Planning region"),
    "reports.col.municipality": ("Pašvaldība", "Municipality"),
    "reports.col.iso": ("ISO 3166-2 kods", "ISO 3166-2 code"),
    "reports.col.atvk": ("ATVK kods", "ATVK code"),
    "reports.col.type": ("Aktivitātes veids", "Activity type"),
    "reports.col.area": ("Kapacitātes joma", "Capacity area"),
    "reports.col.activities": ("Aktivitātes", "Activities"),
    "reports.col.hours": ("Aktivitāšu stundas", "Hours of activities"),
    "reports.col.registered": ("Reģistrētās organizācijas", "Organisations registered"),
    "reports.col.organizations_supported": ("Atbalstītās organizācijas",
                                            "Organisations supported"),
    "reports.col.share_supported": ("Atbalstīto daļa, %", "Share supported, %"),
    "reports.col.participations": ("Dalības", "Participations"),
    "reports.col.attendees": ("Dalībnieki", "Attendees"),
    "reports.col.support_hours": ("Saņemtā atbalsta stundas", "Hours of support received"),
    "reports.col.activities_per_org": ("Dalības uz organizāciju",
                                       "Participations per organisation"),
    "reports.col.attendees_per_org": ("Dalībnieki uz organizāciju",
                                      "Attendees per organisation"),
    "reports.col.hours_per_org": ("Atbalsta stundas uz organizāciju",
                                  "Hours of support per organisation"),
    "reports.col.enrolled": ("Uzņemtās organizācijas", "Organisations enrolled"),
    "reports.col.share_enrolled": ("Atbalstītās pret uzņemtajām, %",
                                   "Supported per enrolled, %"),

    # The reports page
    "reports.intro": (
        "Izvēlieties periodu un reģionu, sagatavojiet atskaiti (Excel ar rādītājiem, karti, "
        "grafikiem un datu tabulām) un lejupielādējiet datu tabulas CSV vai Excel formātā.",
        "Choose a period and a region, build the report (an Excel workbook with the "
        "indicators, the map, the charts and the data tables) and download the data tables "
        "as CSV or Excel."),
    "reports.report_heading": ("Atskaite", "Report"),
    "reports.build": ("Sagatavot atskaiti", "Build the report"),
    "reports.building": ("Gatavo atskaiti un zīmē grafikus…",
                         "Building the report and drawing the charts…"),
    "reports.ready": ("Atskaite gatava ({size} KB).", "The report is ready ({size} KB)."),
    "reports.download": ("Lejupielādēt atskaiti (Excel)", "Download the report (Excel)"),
    "reports.no_png": (
        "Šajā serverī nav Chromium, tāpēc atskaitē nebūs grafiku un karšu (skaitļi un tabulas "
        "būs).",
        "This server has no Chromium, so the report will have no charts or map (the numbers "
        "and tables will be there)."),
    "reports.tables_heading": ("Datu tabulas", "Data tables"),
    "reports.empty_table": ("Šiem filtriem datu nav.", "No data for these filters."),
}
