"""Text of the forecast part (key -> (Latvian, English))."""

TEXTS: dict[str, tuple[str, str]] = {
    "forecast.as_of": ("Stāvoklis uz", "As of"),
    "forecast.as_of_help": ("Tiek skaitīti tikai dati, kas datēti līdz šim datumam.",
                            "Only data dated up to this date counts."),
    "forecast.data_end": (
        "Jaunākā reģistrētā aktivitāte ir datēta {date}; vēlāku datu nav. Prognoze un "
        "brīdinājumi to rāda godīgi; izvēlieties agrāku datumu, lai redzētu, kāda prognoze "
        "bija toreiz.",
        "The latest activity recorded is dated {date}; there is no later data. The forecast "
        "and warnings show that as it is; choose an earlier date to see the forecast as it "
        "looked then."),
    "forecast.no_data": ("Šiem filtriem līdz izvēlētajam datumam aktivitāšu nav.",
                         "No activity for these filters up to the chosen date."),
    "forecast.programme": ("Prognoze līdz {end}", "Forecast to {end}"),
    "forecast.programme_caption": (
        "Temps līdz šim = vērtība / pagājušās dienas kopš {start}; vajadzīgais temps = "
        "(mērķis − vērtība) / atlikušās {days} dienas; prognoze = vērtība + temps × "
        "atlikušās dienas. Diapazons: mēnešu tempu 20. un 80. procentile.",
        "Pace so far = value / days elapsed since {start}; pace needed = (target − value) / "
        "the {days} days left; projection = value + pace × days left. Band: the 20th and 80th "
        "percentile of the monthly rates."),
    "forecast.rule": (
        "Statuss: sasniegts — vērtība jau sasniedz mērķi; ceļā uz mērķi — pat diapazona "
        "apakšējā robeža sasniedz mērķi; apdraudēts — mērķis ir diapazona iekšpusē; atpaliek — "
        "pat augšējā robeža mērķi nesasniedz. Unikālo organizāciju rādītāji tiek prognozēti "
        "pēc jaunu organizāciju skaita mēnesī (pirmās dalības datums).",
        "Status: reached — the value already meets the target; on track — even the low end "
        "of the band meets it; at risk — the target lies inside the band; off track — not "
        "even the high end meets it. Distinct-organisation indicators are projected from "
        "new organisations per month (by each one's first participation)."),
    "forecast.region_targets": (
        "Reģionam mērķi nav sadalīti; inkubatoru mērķi ir tabulā zemāk.",
        "Targets are not split by region; the incubators' own targets are in the table "
        "below."),
    "forecast.flagged": ("Jāpievērš uzmanība", "Needs attention"),
    "forecast.all_fine": ("Neviens rādītājs ar mērķi nav apdraudēts.",
                          "No indicator with a target is at risk."),
    "forecast.incubators": ("Inkubatori: temps pret mērķi", "Incubators: pace against target"),
    "forecast.incubators_caption": (
        "Inkubatora statuss tiek noteikts tikai tad, ja tam ir savs mērķis visai programmai; "
        "citādi redzams tikai temps.",
        "An incubator gets a status only when it has its own whole-programme target; "
        "otherwise only its pace is shown."),
    "forecast.pick": ("Rādītājs grafikiem", "Indicator for the charts"),
    "forecast.col.indicator": ("Rādītājs", "Indicator"),
    "forecast.col.incubator": ("Inkubators", "Incubator"),
    "forecast.col.value": ("Vērtība", "Value"),
    "forecast.col.target": ("Mērķis", "Target"),
    "forecast.col.pace": ("Temps mēnesī līdz šim", "Pace per month so far"),
    "forecast.col.needed": ("Vajadzīgais temps mēnesī", "Pace per month needed"),
    "forecast.col.projection": ("Prognoze", "Projection"),
    "forecast.col.low": ("Diapazons no", "Band from"),
    "forecast.col.high": ("Diapazons līdz", "Band to"),
    "forecast.col.status": ("Statuss", "Status"),
    "forecast.status.reached": ("sasniegts", "reached"),
    "forecast.status.on_track": ("ceļā uz mērķi", "on track"),
    "forecast.status.at_risk": ("apdraudēts", "at risk"),
    "forecast.status.off_track": ("atpaliek", "off track"),
    "forecast.status.no_target": ("bez mērķa", "no target"),
    "forecast.chart.cumulative": ("{indicator}: uzkrātā vērtība un prognoze",
                                  "{indicator}: running total and forecast"),
    "forecast.chart.pace": ("{indicator}: temps mēnesī pa inkubatoriem",
                            "{indicator}: pace per month by incubator"),
    "forecast.chart.weekly": ("Reģistrētās aktivitātes pa nedēļām",
                              "Activities logged per week"),
    "forecast.trace.actual": ("Faktiski", "Actual"),
    "forecast.trace.projection": ("Prognoze", "Projection"),
    "forecast.trace.band": ("Prognozes diapazons", "Forecast band"),
    "forecast.trace.target": ("Mērķis", "Target"),
    "forecast.trace.pace": ("Temps līdz šim", "Pace so far"),
    "forecast.trace.needed": ("Vajadzīgais temps", "Pace needed"),
    "forecast.axis.week_to": ("Nedēļa līdz", "Week to"),
    "forecast.axis.activities": ("Aktivitātes", "Activities"),
    "forecast.axis.per_month": ("mēnesī", "per month"),
    "forecast.warnings": ("Agrīnie brīdinājumi", "Early warnings"),
    "forecast.inactive_days": ("Organizācija neaktīva pēc (dienām)",
                               "Organisation inactive after (days)"),
    "forecast.stopped_days": ("Reģistrēšana apstājusies pēc (dienām)",
                              "Logging stopped after (days)"),
    "forecast.inactive.title": ("Organizācijas bez aktivitātes vairāk nekā {days} dienas",
                                "Organisations with no activity for more than {days} days"),
    "forecast.inactive.caption": (
        "Organizācijas, kas uzņemtas ciklā, kurš notiek izvēlētajā datumā, un kas nav "
        "piedalījušās nevienā aktivitātē (arī cita inkubatora). Jaunpienācējas tiek rādītas "
        "tikai pēc tam, kad ciklā pavadītas vairāk nekā {days} dienas.",
        "Organisations admitted to a cohort running on the chosen date that took part in no "
        "activity (of any incubator). Newcomers show only once they have been in the cohort "
        "for more than {days} days."),
    "forecast.inactive.none": ("Visas cikla organizācijas ir aktīvas.",
                               "Every organisation in a running cohort is active."),
    "forecast.inactive.count": ("{count} organizācijas bez aktivitātes.",
                                "{count} organisations without activity."),
    "forecast.col.organization": ("Organizācija", "Organisation"),
    "forecast.col.cohort": ("Cikls", "Cohort"),
    "forecast.col.in_cohort_since": ("Ciklā kopš", "In the cohort since"),
    "forecast.col.last_activity": ("Pēdējā aktivitāte", "Last activity"),
    "forecast.col.days_since": ("Dienas kopš tās", "Days since"),
    "forecast.never": ("nekad", "never"),
    "forecast.logging.title": ("Inkubatoru aktivitāšu reģistrēšana",
                               "Incubators' activity logging"),
    "forecast.logging.caption": (
        "Reģistrēšana ir apstājusies, ja pēdējās {days} dienās līdz izvēlētajam datumam nav "
        "datēta neviena aktivitāte. Nedēļu skaiti — no vecākās uz jaunāko.",
        "Logging has stopped when no activity is dated in the {days} days up to the chosen "
        "date. Weekly counts run from the oldest week to the latest."),
    "forecast.logging.stopped_count": ("Reģistrēšana apstājusies: {names}.",
                                       "Logging has stopped: {names}."),
    "forecast.logging.none": ("Šiem filtriem izvēlētajā datumā neviens inkubators nedarbojas.",
                              "No incubator runs on the chosen date for these filters."),
    "forecast.col.last_entered": ("Pēdējais ieraksts veikts", "Last entry made"),
    "forecast.col.weekly": ("Aktivitātes pēdējās {weeks} nedēļās",
                            "Activities in the last {weeks} weeks"),
    "forecast.col.weekly_average": ("Vidēji nedēļā kopš sākuma", "Average per week since start"),
    "forecast.col.logging": ("Reģistrēšana", "Logging"),
    "forecast.logging.stopped": ("apstājusies", "stopped"),
    "forecast.logging.active": ("notiek", "active"),
}
