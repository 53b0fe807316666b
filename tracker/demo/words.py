"""The demo's words: places, names, topics, titles and the shape of each activity type (all
invented, Latvian)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from db.enums import ActivityFormat, CapacityArea, MilestoneKind, Role
from tracker.demo.plan import A, T

# Words: places, names, topics ---------------------------------------------------------------

REGION_GENITIVE = {"RIGA": "Pierīgas", "KURZEME": "Kurzemes", "LATGALE": "Latgales",
                   "VIDZEME": "Vidzemes", "ZEMGALE": "Zemgales"}
REGION_LOCATIVE = {"RIGA": "Pierīgā", "KURZEME": "Kurzemē", "LATGALE": "Latgalē",
                   "VIDZEME": "Vidzemē", "ZEMGALE": "Zemgalē"}
# Rough relative sizes of the state cities' NGO sectors; a novads counts 1.5.
CITY_WEIGHTS = {"Rīga": 14.0, "Daugavpils": 4.0, "Liepāja": 3.5, "Jelgava": 3.0,
                "Jūrmala": 2.5, "Ventspils": 2.0, "Rēzekne": 2.0}
CITY_LOCATIVE = {"Rīga": "Rīgā", "Daugavpils": "Daugavpilī", "Jelgava": "Jelgavā",
                 "Jūrmala": "Jūrmalā", "Liepāja": "Liepājā", "Rēzekne": "Rēzeknē",
                 "Ventspils": "Ventspilī"}

# Towns, parishes and city districts of each municipality, in the genitive ("Kuldīgas ...").
PLACES: dict[str, tuple[str, ...]] = {
    "0001000": ("Rīgas", "Purvciema", "Imantas", "Āgenskalna", "Ziepniekkalna", "Mežciema",
                "Teikas", "Pļavnieku", "Ķengaraga", "Vecmīlgrāvja", "Čiekurkalna", "Zolitūdes",
                "Bolderājas", "Juglas", "Sarkandaugavas", "Torņakalna", "Grīziņkalna", "Avotu",
                "Mežaparka", "Iļģuciema", "Dreiliņu", "Vecāķu", "Šampētera", "Bieriņu",
                "Berģu", "Vecrīgas", "Maskavas forštates", "Pārdaugavas", "Brasas", "Skanstes",
                "Dārzciema", "Jaunciema", "Trīsciema", "Buļļu", "Spilves", "Ķīpsalas",
                "Mūkupurva", "Dzirciema", "Zasulauka", "Šķirotavas", "Katlakalna",
                "Pleskodāles", "Kundziņsalas", "Bišumuižas", "Dārziņu", "Jaunmīlgrāvja"),
    "0002000": ("Daugavpils", "Grīvas", "Jaunbūves", "Gajoka", "Ruģeļu", "Esplanādes",
                "Cietokšņa", "Vecstropu", "Jaunstropu", "Križu"),
    "0003000": ("Jelgavas", "Pārlielupes", "Miezītes", "Pasta salas"),
    "0004000": ("Jūrmalas", "Ķemeru", "Dubultu", "Kauguru", "Majoru", "Bulduru", "Slokas",
                "Lielupes"),
    "0005000": ("Liepājas", "Karostas", "Ezerkrasta", "Vecliepājas", "Jaunliepājas"),
    "0006000": ("Rēzeknes",),
    "0007000": ("Ventspils", "Pārventas", "Ostgala"),
    "0020000": ("Aizkraukles", "Kokneses", "Skrīveru", "Jaunjelgavas", "Pļaviņu", "Neretas"),
    "0021000": ("Alūksnes", "Apes", "Jaunannas", "Zeltiņu", "Trapenes"),
    "0022000": ("Ilūkstes", "Subates", "Naujenes", "Višķu", "Eglaines", "Kalkūnes"),
    "0023000": ("Ādažu", "Carnikavas", "Kadagas"),
    "0024000": ("Balvu", "Viļakas", "Rugāju", "Baltinavas", "Tilžas"),
    "0025000": ("Bauskas", "Iecavas", "Vecumnieku", "Rundāles", "Skaistkalnes"),
    "0026000": ("Cēsu", "Priekuļu", "Līgatnes", "Jaunpiebalgas", "Vecpiebalgas", "Amatas"),
    "0027000": ("Aizputes", "Grobiņas", "Pāvilostas", "Priekules", "Rucavas", "Nīcas", "Durbes",
                "Vaiņodes"),
    "0028000": ("Dobeles", "Auces", "Tērvetes", "Bēnes", "Penkules"),
    "0029000": ("Gulbenes", "Stāmerienas", "Lejasciema", "Tirzas", "Litenes"),
    "0030000": ("Ozolnieku", "Elejas", "Kalnciema", "Zaļenieku", "Svētes", "Valgundes"),
    "0031000": ("Jēkabpils", "Viesītes", "Aknīstes", "Salas", "Krustpils"),
    "0032000": ("Krāslavas", "Dagdas", "Indras", "Skaistas", "Piedrujas"),
    "0033000": ("Kuldīgas", "Skrundas", "Alsungas", "Rudbāržu", "Snēpeles"),
    "0034000": ("Ķekavas", "Baldones", "Baložu", "Daugmales"),
    "0035000": ("Limbažu", "Salacgrīvas", "Alojas", "Ainažu", "Staiceles"),
    "0036000": ("Līvānu", "Rožupes", "Jersikas", "Turku"),
    "0037000": ("Ludzas", "Kārsavas", "Zilupes", "Ciblas", "Istras"),
    "0038000": ("Madonas", "Lubānas", "Cesvaines", "Ērgļu", "Barkavas"),
    "0038001": ("Madonas", "Lubānas", "Cesvaines", "Ērgļu", "Barkavas", "Varakļānu"),
    "0039000": ("Mārupes", "Babītes", "Piņķu", "Jaunmārupes"),
    "0040000": ("Ogres", "Lielvārdes", "Ķeguma", "Ikšķiles", "Madlienas", "Suntažu"),
    "0041000": ("Olaines", "Jaunolaines"),
    "0042000": ("Preiļu", "Aglonas", "Riebiņu", "Vārkavas", "Pelēču"),
    "0043000": ("Viļānu", "Maltas", "Kaunatas", "Nautrēnu", "Lūznavas", "Ozolaines"),
    "0044000": ("Ropažu", "Stopiņu", "Garkalnes", "Ulbrokas", "Vangažu"),
    "0045000": ("Salaspils", "Acones"),
    "0046000": ("Saldus", "Brocēnu", "Kursīšu", "Nīgrandes", "Blīdenes"),
    "0047000": ("Saulkrastu", "Zvejniekciema"),
    "0048000": ("Siguldas", "Inčukalna", "Krimuldas", "Mālpils", "Allažu"),
    "0049000": ("Smiltenes", "Raunas", "Palsmanes", "Blomes", "Launkalnes"),
    "0051000": ("Talsu", "Sabiles", "Stendes", "Rojas", "Dundagas", "Mērsraga",
                "Valdemārpils"),
    "0052000": ("Tukuma", "Kandavas", "Engures", "Jaunpils", "Smārdes"),
    "0053000": ("Valkas", "Strenču", "Sedas", "Ērģemes"),
    "0054000": ("Valmieras", "Rūjienas", "Mazsalacas", "Burtnieku", "Kocēnu", "Naukšēnu"),
    "0055000": ("Varakļānu", "Murmastienes"),
    "0056000": ("Ugāles", "Piltenes", "Užavas", "Tārgales", "Popes"),
}

# Where each incubator mostly meets (ATVK): its seat first, then a second town.
HUBS = {"KURZEME": ("0005000", "0033000"), "LATGALE": ("0006000", "0002000"),
        "VIDZEME": ("0054000", "0026000"), "ZEMGALE": ("0003000", "0031000")}


@dataclass(frozen=True)
class Theme:
    field: str  # field of activity, as the organisations describe themselves
    weight: int
    groups: tuple[str, ...]  # genitive plural: "jauniešu", "senioru", ...
    nouns: tuple[str, ...]
    fund: str  # genitive for a foundation: "Latgales kultūras fonds"


THEMES: tuple[Theme, ...] = (
    Theme("kopienas attīstība", 14, ("kopienas", "iedzīvotāju", "kaimiņu", "ciema"),
           ("attīstības biedrība", "padome", "iniciatīva", "biedrība", "centrs"), "kopienu"),
    Theme("jaunatne", 12, ("jauniešu", "jaunatnes", "skolēnu"),
           ("centrs", "klubs", "iniciatīva", "apvienība", "kustība", "telpa"), "jaunatnes"),
    Theme("kultūra", 12, ("kultūras", "folkloras", "tautas mākslas", "teātra", "kora"),
           ("biedrība", "centrs", "kopa", "studija", "apvienība"), "kultūras"),
    Theme("sports", 10, ("sporta", "basketbola", "volejbola", "futbola", "orientēšanās",
                          "šaha", "vieglatlētikas", "slēpošanas", "riteņbraukšanas"),
           ("klubs", "skola", "biedrība"), "sporta"),
    Theme("seniori", 8, ("senioru", "pensionāru"), ("biedrība", "klubs", "apvienība", "skola"),
           "senioru atbalsta"),
    Theme("ģimenes", 8, ("ģimeņu", "daudzbērnu ģimeņu", "vecāku", "jauno māmiņu"),
           ("klubs", "biedrība", "atbalsta centrs", "apvienība"), "ģimeņu atbalsta"),
    Theme("sociālie pakalpojumi", 7, ("cilvēku ar invaliditāti", "neredzīgo", "nedzirdīgo",
                                        "sociālā atbalsta"),
           ("biedrība", "atbalsta centrs", "apvienība"), "sociālā atbalsta"),
    Theme("izglītība", 7, ("izglītības", "mūžizglītības", "pieaugušo izglītības"),
           ("centrs", "biedrība", "apvienība"), "izglītības"),
    Theme("vide", 5, ("vides", "dabas draugu", "putnu draugu"),
           ("kustība", "klubs", "biedrība", "iniciatīva"), "vides"),
    Theme("kultūrvēsturiskais mantojums", 5, ("novadpētnieku", "vēstures", "mantojuma"),
           ("biedrība", "klubs", "apvienība"), "mantojuma"),
    Theme("lauku attīstība", 5, ("lauku sieviešu", "mājražotāju", "biškopju", "dārzkopju"),
           ("biedrība", "apvienība", "klubs"), "lauku attīstības"),
    Theme("uzņēmējdarbība", 3, ("uzņēmēju", "amatnieku", "jauno uzņēmēju"),
           ("biedrība", "klubs", "padome", "apvienība"), "uzņēmējdarbības atbalsta"),
    Theme("veselība", 3, ("veselības", "sirds veselības", "pacientu"),
           ("biedrība", "atbalsta grupa", "klubs"), "veselības"),
    Theme("dzīvnieku aizsardzība", 2, ("dzīvnieku draugu", "dzīvnieku aizsardzības"),
           ("biedrība", "kustība"), "dzīvnieku aizsardzības"),
    Theme("tūrisms", 2, ("tūrisma", "velotūrisma", "ceļotāju"), ("biedrība", "klubs", "centrs"),
           "tūrisma attīstības"),
    Theme("medības un makšķerēšana", 3, ("mednieku", "makšķernieku"),
           ("klubs", "biedrība", "kolektīvs"), "dabas"),
    Theme("pilsoniskā līdzdalība", 3, ("pilsoniskās sabiedrības", "līdzdalības",
                                         "brīvprātīgo"),
           ("centrs", "forums", "tīkls", "kustība"), "pilsoniskās sabiedrības"),
)
THEME_WEIGHTS = tuple(theme.weight for theme in THEMES)
RELIGION = "reliģija"
RELIGIOUS = Theme(RELIGION, 0, (), (), "")
UNION = Theme("darba tiesības", 0, (), (), "")

LANDMARKS = ("baznīcas", "muižas", "dzirnavu", "estrādes", "parka", "ezera", "pilskalna",
             "tautas nama", "bibliotēkas", "vecās skolas")
LANDMARK_SUFFIXES = ("atjaunošanas biedrība", "draugu biedrība", "attīstības biedrība")
CREATIVE = ("Dzīvesprieks", "Saulespuķe", "Varavīksne", "Tilts", "Spārni", "Ozolzīle",
            "Pūpols", "Dzirnakmens", "Ābeļzieds", "Gaismas taka", "Kopā varam",
            "Sirds siltums", "Stiprās saknes", "Jaunā paaudze", "Rīta ausma", "Zaļais krasts",
            "Ceļa zīme", "Mazā pasaule", "Sadarbības telpa", "Radošā darbnīca", "Pīlādzītis",
            "Zīļuks", "Dzērvenīte", "Vālodze", "Atvasara", "Atbalss", "Ugunskurs",
            "Dzintara krasts", "Baltā māja", "Labie darbi", "Zvaigžņu ceļš", "Aktīvā kopiena",
            "Laimes lāde", "Dzīves ritms", "Saknes un spārni", "Ziedu pļava", "Putnu dziesma",
            "Kokle", "Avots", "Tauriņš", "Sniegpulkstenīte", "Klēts", "Tērce", "Vēja zvani",
            "Mēs paši", "Cerību sala", "Dzīpariņš", "Rūķis")
CONGREGATIONS = ("evaņģēliski luteriskā draudze", "Romas katoļu draudze", "baptistu draudze",
                 "pareizticīgo draudze")
PATRONS = ("Sv. Jāņa", "Sv. Pētera", "Sv. Marijas", "Sv. Trīsvienības", "Sv. Mateja",
           "Sv. Pāvila", "Sv. Annas", "Sv. Gertrūdes", "Sv. Lūkas", "Sv. Jēkaba", "Sv. Miķeļa",
           "Sv. Nikolaja", "Kristus", "Lutera")
UNIONS = ("izglītības darbinieku", "mediķu", "kultūras darbinieku", "pašvaldības darbinieku",
          "slimnīcas", "vidusskolas", "pamatskolas", "bibliotēkas", "sociālā dienesta",
          "ostas", "autobusu parka")

MALE_NAMES = ("Jānis", "Andris", "Mārtiņš", "Kārlis", "Edgars", "Artūrs", "Aigars", "Juris",
              "Raivis", "Gints", "Valdis", "Uldis", "Roberts", "Kristaps", "Dainis", "Normunds",
              "Guntis", "Ivars", "Oskars", "Rihards", "Armands", "Ainārs", "Toms", "Gatis",
              "Aivars")
FEMALE_NAMES = ("Anna", "Ilze", "Inese", "Līga", "Kristīne", "Laura", "Dace", "Sanita", "Ieva",
                "Zane", "Baiba", "Agnese", "Santa", "Elīna", "Evija", "Marta", "Solvita", "Gunta",
                "Rasma", "Aija", "Līva", "Sarmīte", "Ināra", "Daiga", "Vija", "Anita", "Linda",
                "Signe", "Madara")
SURNAMES = (("Bērziņš", "Bērziņa"), ("Kalniņš", "Kalniņa"), ("Ozoliņš", "Ozoliņa"),
            ("Jansons", "Jansone"), ("Ozols", "Ozola"), ("Liepiņš", "Liepiņa"),
            ("Krūmiņš", "Krūmiņa"), ("Balodis", "Balode"), ("Eglītis", "Eglīte"),
            ("Zariņš", "Zariņa"), ("Pētersons", "Pētersone"), ("Vītols", "Vītola"),
            ("Kļaviņš", "Kļaviņa"), ("Kārkliņš", "Kārkliņa"), ("Vanags", "Vanaga"),
            ("Lapiņš", "Lapiņa"), ("Siliņš", "Siliņa"), ("Strazds", "Strazda"),
            ("Zvirbulis", "Zvirbule"), ("Grīnbergs", "Grīnberga"), ("Rozītis", "Rozīte"),
            ("Dambītis", "Dambīte"), ("Ābols", "Ābola"), ("Sproģis", "Sproģe"),
            ("Zeltiņš", "Zeltiņa"), ("Mednis", "Medne"), ("Kalējs", "Kalēja"), ("Vilks", "Vilka"),
            ("Lācis", "Lāce"), ("Skujiņš", "Skujiņa"), ("Priede", "Priede"),
            ("Rancāns", "Rancāne"), ("Vaivods", "Vaivode"), ("Upītis", "Upīte"),
            ("Birznieks", "Birzniece"), ("Gailītis", "Gailīte"), ("Daugulis", "Daugule"),
            ("Jurāns", "Jurāne"), ("Leja", "Leja"), ("Znotiņš", "Znotiņa"))

# The programme's participants (tracker.demo.people): first names and surnames drawn apart and
# combined at random, so every person is invented. More of them than the contact persons use.
PERSON_MALE_NAMES = (
    *MALE_NAMES, "Pēteris", "Mārcis", "Didzis", "Ēriks", "Kaspars", "Reinis", "Ansis",
    "Krišjānis", "Emīls", "Niks", "Gustavs", "Markuss", "Ralfs", "Viesturs", "Imants", "Vilnis",
    "Ojārs", "Egils", "Agris", "Jurģis", "Miķelis", "Ervīns", "Aleksandrs", "Sergejs",
    "Vladimirs")
PERSON_FEMALE_NAMES = (
    *FEMALE_NAMES, "Dzintra", "Ilona", "Ligita", "Maija", "Astrīda", "Zaiga", "Skaidrīte",
    "Inga", "Dagnija", "Everita", "Rūta", "Katrīna", "Alise", "Paula", "Emīlija", "Sintija",
    "Liene", "Ance", "Una", "Elza", "Austra", "Velta", "Jeļena", "Olga", "Natālija", "Svetlana",
    "Irēna")
PERSON_SURNAMES = (
    *SURNAMES, ("Lejnieks", "Lejniece"), ("Kalnājs", "Kalnāja"), ("Purenis", "Purene"),
    ("Mežulis", "Mežule"), ("Ezeriņš", "Ezeriņa"), ("Avotiņš", "Avotiņa"),
    ("Sīlis", "Sīle"), ("Dzenis", "Dzene"), ("Rubenis", "Rubene"), ("Zīverts", "Zīverte"),
    ("Kociņš", "Kociņa"), ("Bite", "Bite"), ("Puķītis", "Puķīte"), ("Briedis", "Briede"),
    ("Akmens", "Akmene"), ("Mālnieks", "Mālniece"), ("Saulītis", "Saulīte"),
    ("Vējiņš", "Vējiņa"), ("Klints", "Klinte"), ("Rudzītis", "Rudzīte"),
    ("Kviesis", "Kviese"), ("Ivanovs", "Ivanova"), ("Petrovs", "Petrova"),
    ("Kuzņecovs", "Kuzņecova"), ("Volkovs", "Volkova"), ("Pavlovskis", "Pavlovska"),
    ("Ruskulis", "Ruskule"), ("Bernāns", "Bernāne"), ("Kursīte", "Kursīte"),
    ("Smilga", "Smilga"), ("Ieviņš", "Ieviņa"), ("Ozoliņš-Liepa", "Ozoliņa-Liepa"))

# (e-mail, role, incubator code, full name); staff e-mails follow DESIGN.md §4.
ACCOUNTS: tuple[tuple[str, Role, str | None, str], ...] = (
    ("admin@demo.lv", Role.ADMIN, None, "Andris Bērziņš"),
    ("manager@demo.lv", Role.MANAGER, None, "Inese Kalniņa"),
    ("funder@demo.lv", Role.FUNDER, None, "Māris Ozols"),
)
STAFF_NAMES = {"KURZEME": "Laura Krūmiņa", "LATGALE": "Aivars Rancāns",
               "VIDZEME": "Dace Zariņa", "ZEMGALE": "Edgars Vītols"}

CONSULTATIONS: tuple[tuple[A, str], ...] = (
    (A.GOVERNANCE, "Konsultācija par statūtu grozījumiem"),
    (A.GOVERNANCE, "Konsultācija par valdes darba organizēšanu"),
    (A.GOVERNANCE, "Konsultācija par biedru sapulces sagatavošanu"),
    (A.GOVERNANCE, "Konsultācija par sabiedriskā labuma organizācijas statusu"),
    (A.GOVERNANCE, "Konsultācija par personas datu aizsardzību"),
    (A.STRATEGY, "Konsultācija par organizācijas stratēģijas izstrādi"),
    (A.STRATEGY, "Konsultācija par darbības plāna sagatavošanu"),
    (A.STRATEGY, "Konsultācija par mērķu un rezultātu rādītāju noteikšanu"),
    (A.FINANCE, "Konsultācija par projekta pieteikuma sagatavošanu"),
    (A.FINANCE, "Konsultācija par projekta budžeta plānošanu"),
    (A.FINANCE, "Konsultācija par grāmatvedības kārtošanu"),
    (A.FINANCE, "Konsultācija par ziedojumu piesaisti"),
    (A.FINANCE, "Konsultācija par gada pārskata sagatavošanu"),
    (A.FINANCE, "Konsultācija par projekta atskaites sagatavošanu"),
    (A.PEOPLE, "Konsultācija par brīvprātīgo piesaisti un noturēšanu"),
    (A.PEOPLE, "Konsultācija par darba līgumiem un atlīdzību"),
    (A.PEOPLE, "Konsultācija par jaunu biedru piesaisti"),
    (A.DELIVERY, "Konsultācija par pakalpojuma attīstību"),
    (A.DELIVERY, "Konsultācija par sociālās uzņēmējdarbības iespējām"),
    (A.DELIVERY, "Konsultācija par pasākumu organizēšanu"),
    (A.DELIVERY, "Konsultācija par ietekmes novērtēšanu"),
    (A.COMMUNICATION, "Konsultācija par komunikācijas plānu"),
    (A.COMMUNICATION, "Konsultācija par sociālo tīklu saturu"),
    (A.COMMUNICATION, "Konsultācija par mājaslapas izveidi"),
    (A.COMMUNICATION, "Konsultācija par darbu ar medijiem"),
    (A.ADVOCACY, "Konsultācija par viedokļa sagatavošanu TAP portālā"),
    (A.ADVOCACY, "Konsultācija par līdzdalību pašvaldības lēmumu pieņemšanā"),
    (A.ADVOCACY, "Konsultācija par sadarbību ar pašvaldību"),
    (A.ADVOCACY, "Konsultācija par dalību konsultatīvajās padomēs"),
)
MENTORING: tuple[tuple[A, str], ...] = (
    (A.GOVERNANCE, "Mentora sesija: valdes loma un atbildība"),
    (A.STRATEGY, "Mentora sesija: stratēģiskā plānošana"),
    (A.STRATEGY, "Mentora sesija: organizācijas attīstības plāns"),
    (A.FINANCE, "Mentora sesija: finansējuma avotu dažādošana"),
    (A.FINANCE, "Mentora sesija: finanšu plānošana"),
    (A.PEOPLE, "Mentora sesija: komandas vadība"),
    (A.PEOPLE, "Mentora sesija: brīvprātīgo koordinēšana"),
    (A.DELIVERY, "Mentora sesija: pakalpojumu kvalitāte"),
    (A.DELIVERY, "Mentora sesija: mērķauditorijas sasniegšana"),
    (A.COMMUNICATION, "Mentora sesija: organizācijas tēls un vēstījums"),
    (A.COMMUNICATION, "Mentora sesija: komunikācija ar atbalstītājiem"),
    (A.ADVOCACY, "Mentora sesija: interešu aizstāvība"),
    (A.ADVOCACY, "Mentora sesija: sadarbība ar valsts pārvaldi"),
)
TRAININGS: tuple[tuple[A, str], ...] = (
    (A.FINANCE, "Apmācības “Projektu pieteikumu rakstīšana”"),
    (A.FINANCE, "Apmācības “Finanšu vadība biedrībās un nodibinājumos”"),
    (A.FINANCE, "Apmācības “Ziedojumu un kopienu finansējuma piesaiste”"),
    (A.GOVERNANCE, "Apmācības “NVO labas pārvaldības principi”"),
    (A.GOVERNANCE, "Apmācības “Datu aizsardzība NVO darbā”"),
    (A.STRATEGY, "Apmācības “Stratēģiskā plānošana NVO”"),
    (A.PEOPLE, "Apmācības “Brīvprātīgo vadība”"),
    (A.PEOPLE, "Apmācības “Komandas motivācija un izdegšanas novēršana”"),
    (A.DELIVERY, "Apmācības “Projektu vadība”"),
    (A.DELIVERY, "Apmācības “Sociālā uzņēmējdarbība”"),
    (A.COMMUNICATION, "Apmācības “Efektīva komunikācija sociālajos tīklos”"),
    (A.COMMUNICATION, "Apmācības “Publiskā runa un prezentācijas prasmes”"),
    (A.COMMUNICATION, "Apmācības “Vizuālā komunikācija ar Canva”"),
    (A.ADVOCACY, "Apmācības “Līdzdalība politikas veidošanā un TAP portāls”"),
    (A.ADVOCACY, "Apmācības “Interešu aizstāvība pašvaldībā”"),
)
WORKSHOPS: tuple[tuple[A, str], ...] = (
    (A.STRATEGY, "Darbnīca “Organizācijas vīzija un misija”"),
    (A.STRATEGY, "Darbnīca “Rīcības plāns nākamajam gadam”"),
    (A.FINANCE, "Darbnīca “No idejas līdz projekta pieteikumam”"),
    (A.FINANCE, "Darbnīca “Budžeta plānošana praksē”"),
    (A.COMMUNICATION, "Darbnīca “Stāstu stāstīšana organizācijām”"),
    (A.COMMUNICATION, "Darbnīca “Satura plāns sociālajiem tīkliem”"),
    (A.DELIVERY, "Darbnīca “Dizaina domāšana pakalpojumu attīstībā”"),
    (A.PEOPLE, "Darbnīca “Brīvprātīgo programmas izveide”"),
    (A.ADVOCACY, "Darbnīca “Viedokļa rakstīšana”"),
)
# {in_region}: the incubator's region in the locative ("Kurzemē").
THINK_TANKS: tuple[tuple[A, str], ...] = (
    (A.ADVOCACY, "Domnīca “Jauniešu līdzdalība {in_region}”"),
    (A.ADVOCACY, "Domnīca “NVO un pašvaldību sadarbība {in_region}”"),
    (A.STRATEGY, "Domnīca “Pilsoniskās sabiedrības nākotne {in_region}”"),
    (A.ADVOCACY, "Domnīca “Līdzdalības budžets {in_region}”"),
    (A.DELIVERY, "Domnīca “Senioru iesaiste kopienas dzīvē”"),
    (A.ADVOCACY, "Domnīca “Pašvaldību NVO atbalsta programmas”"),
    (A.STRATEGY, "Domnīca “Lauku kopienu nākotne”"),
    (A.ADVOCACY, "Domnīca “Vides pieejamība visiem”"),
    (A.FINANCE, "Domnīca “NVO finansējuma ilgtspēja”"),
)
# {place}: the municipality in the locative, {of_region}: the region in the genitive.
NETWORKING: tuple[tuple[A, str], ...] = (
    (A.COMMUNICATION, "NVO kafija {place}"),
    (A.COMMUNICATION, "NVO tīklošanās pasākums {place}"),
    (A.COMMUNICATION, "{of_region} NVO forums"),
    (A.PEOPLE, "Cikla dalībnieku satikšanās"),
    (A.FINANCE, "NVO un uzņēmēju tīklošanās {place}"),
    (A.ADVOCACY, "NVO un pašvaldības tikšanās {place}"),
)
STUDY_VISITS: tuple[tuple[A, str], ...] = (
    (A.DELIVERY, "Pieredzes apmaiņas vizīte {place}"),
    (A.DELIVERY, "Mācību vizīte {place}: sociālie pakalpojumi"),
    (A.GOVERNANCE, "Mācību vizīte {place}: biedrību pārvaldība"),
    (A.PEOPLE, "Pieredzes apmaiņa {place}: brīvprātīgo darbs"),
)
# {council}: the municipality in the genitive ("Kuldīgas novada").
CIVIC_DIALOGUE: tuple[tuple[A, str], ...] = (
    (A.ADVOCACY, "Atbalsts viedokļa sagatavošanai par pašvaldības attīstības programmu"),
    (A.ADVOCACY, "Atbalsts viedokļa sagatavošanai par teritorijas plānojuma grozījumiem"),
    (A.ADVOCACY, "Atbalsts viedokļa sagatavošanai par NVO projektu konkursa nolikumu"),
    (A.ADVOCACY, "Tikšanās ar {council} domes deputātiem"),
    (A.ADVOCACY, "Sagatavošanās sabiedriskajai apspriešanai"),
    (A.ADVOCACY, "Dalība {council} konsultatīvās padomes sēdē"),
    (A.COMMUNICATION, "Atbalsts līdzdalības budžeta projekta pieteikumam"),
)
NEXT_STEPS: dict[A, tuple[str, ...]] = {
    A.GOVERNANCE: ("Sagatavot statūtu grozījumu projektu biedru sapulcei.",
                   "Sasaukt valdes sēdi un vienoties par pienākumu sadali."),
    A.STRATEGY: ("Pabeigt SVID analīzi un precizēt stratēģiskos mērķus.",
                 "Sagatavot darbības plāna melnrakstu nākamajai tikšanās reizei."),
    A.FINANCE: ("Sagatavot projekta pieteikuma melnrakstu un nosūtīt mentoram.",
                "Izstrādāt nākamā gada budžeta projektu."),
    A.PEOPLE: ("Izveidot brīvprātīgo uzņemšanas aprakstu.",
               "Sarunāt pienākumu sadali komandā un to dokumentēt."),
    A.DELIVERY: ("Aprakstīt pakalpojuma mērķgrupu un izmaksas.",
                 "Savākt dalībnieku atsauksmes un izvērtēt rezultātus."),
    A.COMMUNICATION: ("Sagatavot komunikācijas plānu trim mēnešiem.",
                      "Atjaunot informāciju par organizāciju mājaslapā un sociālajos tīklos."),
    A.ADVOCACY: ("Sagatavot viedokli un iesniegt to TAP portālā līdz termiņam.",
                 "Pieteikties dalībai pašvaldības konsultatīvajā padomē."),
}
GROUP_NEXT_STEPS = ("Nosūtīt dalībniekiem prezentācijas materiālus.",
                    "Nākamā tikšanās pēc mēneša.",
                    "Dalībnieki līdz nākamajai reizei sagatavo mājasdarbu.")
RETURN_COMMENTS = ("Lūdzu pievienot dalībnieku sarakstu un precizēt dalībnieku skaitu.",
                   "Nav norādītas kapacitātes jomas; lūdzu papildināt.",
                   "Lūdzu precizēt pasākuma ilgumu stundās.")


@dataclass(frozen=True)
class Profile:
    """How an activity type looks: how often, how many take part, how long, where."""

    weight: int
    orgs: tuple[int, int]  # organisations taking part, before scaling to a plan's total
    cohort_share: float  # share of them from a running cycle of the incubator
    attendees: tuple[int, int, int]  # cumulative weights of 1, 2, 3 people per organisation
    extra: tuple[float, int]  # chance of, and most, participants not from an organisation
    hours: tuple[tuple[Decimal, ...], tuple[int, ...]]  # choices and their weights
    formats: tuple[int, int, int]  # weights: in person, online, hybrid
    topics: tuple[tuple[A, str], ...]
    more_areas: float  # chance of a second capacity area


def hours_of(*pairs: tuple[str, int]) -> tuple[tuple[Decimal, ...], tuple[int, ...]]:
    return tuple(Decimal(h) for h, _ in pairs), tuple(w for _, w in pairs)


PROFILES: dict[T, Profile] = {
    T.CONSULTATION: Profile(46, (1, 1), 0.85, (70, 95, 100), (0.0, 0),
                             hours_of(("1", 35), ("1.5", 25), ("2", 25), ("2.5", 8), ("3", 7)),
                             (50, 45, 5), CONSULTATIONS, 0.15),
    T.MENTORING: Profile(16, (1, 1), 0.9, (60, 90, 100), (0.0, 0),
                          hours_of(("1.5", 40), ("2", 40), ("3", 20)), (45, 50, 5), MENTORING,
                          0.3),
    T.TRAINING: Profile(10, (5, 16), 0.8, (60, 90, 100), (0.4, 6),
                         hours_of(("3", 20), ("4", 35), ("6", 25), ("8", 15), ("16", 5)),
                         (60, 25, 15), TRAININGS, 0.3),
    T.WORKSHOP: Profile(8, (4, 12), 0.8, (55, 90, 100), (0.3, 4),
                         hours_of(("2", 25), ("3", 40), ("4", 30), ("6", 5)), (85, 10, 5),
                         WORKSHOPS, 0.4),
    T.THINK_TANK: Profile(5, (5, 12), 0.35, (75, 100, 100), (0.6, 8),
                           hours_of(("2", 30), ("3", 45), ("4", 25)), (70, 10, 20), THINK_TANKS,
                           0.5),
    T.NETWORKING: Profile(6, (8, 25), 0.3, (50, 85, 100), (0.8, 15),
                           hours_of(("2", 25), ("3", 40), ("4", 25), ("5", 10)), (90, 5, 5),
                           NETWORKING, 0.5),
    T.STUDY_VISIT: Profile(2, (6, 14), 0.75, (70, 100, 100), (0.3, 3),
                            hours_of(("6", 30), ("8", 40), ("10", 20), ("16", 10)), (100, 0, 0),
                            STUDY_VISITS, 0.6),
    T.CIVIC_DIALOGUE: Profile(7, (1, 4), 0.5, (70, 100, 100), (0.2, 4),
                               hours_of(("1", 20), ("1.5", 30), ("2", 35), ("3", 15)),
                               (60, 35, 5), CIVIC_DIALOGUE, 0.3),
}
TYPES: tuple[T, ...] = tuple(PROFILES)
TYPE_WEIGHTS = tuple(PROFILES[t].weight for t in TYPES)
SINGLE_ORG_TYPES = frozenset({T.CONSULTATION})  # always one organisation, never scaled
MAX_ORGS_PER_ACTIVITY = 60
FORMATS = (ActivityFormat.IN_PERSON.value, ActivityFormat.ONLINE.value,
           ActivityFormat.HYBRID.value)
AREAS: tuple[str, ...] = tuple(a.value for a in CapacityArea)
AREA_BIAS = {A.GOVERNANCE: 0.1, A.STRATEGY: -0.2, A.FINANCE: -0.2, A.PEOPLE: 0.0,
             A.DELIVERY: 0.4, A.COMMUNICATION: 0.0, A.ADVOCACY: -0.4}

# Latvian public holidays in the data period: almost nothing happens on them.
HOLIDAYS = frozenset(dt.date.fromisoformat(d) for d in (
    "2025-04-18", "2025-04-21", "2025-05-01", "2025-05-05", "2025-06-23", "2025-06-24",
    "2025-11-18", "2025-12-24", "2025-12-25", "2025-12-26", "2025-12-31", "2026-01-01",
    "2026-04-03", "2026-04-06", "2026-05-01", "2026-05-04", "2026-06-23", "2026-06-24",
    "2026-11-18", "2026-12-24", "2026-12-25", "2026-12-26", "2026-12-31"))

FUNDERS = ("Sabiedrības integrācijas fonda NVO fonds", "Aktīvo iedzīvotāju fonds",
           "Valsts Kultūrkapitāla fonds", "pašvaldības NVO projektu konkurss",
           "LEADER programma", "Latvijas vides aizsardzības fonds", "Erasmus+ programma",
           "Ziemeļvalstu Ministru padomes NVO programma")
PARTNERS = ("pašvaldību", "vietējo vidusskolu", "bibliotēku", "kaimiņu biedrību",
            "sociālo dienestu", "vietējo uzņēmumu", "muzeju", "jauniešu centru")
SERVICES = ("senioru atbalsta grupa", "jauniešu brīvā laika centrs", "ģimeņu konsultācijas",
            "vides pieejamības audits", "transporta pakalpojums senioriem",
            "bērnu pieskatīšana pasākumu laikā", "digitālo prasmju nodarbības")
MILESTONE_WEIGHTS: tuple[tuple[MilestoneKind, int], ...] = (
    (MilestoneKind.GRANT_APPLIED, 20), (MilestoneKind.STRATEGY_ADOPTED, 6),
    (MilestoneKind.NEW_PARTNERSHIP, 14), (MilestoneKind.NEW_MEMBERS, 8),
    (MilestoneKind.SERVICE_LAUNCHED, 6))  # opinions are the register's (tracker.demo.dialogue)
GRANT_AWARD_RATE = 0.45
