"""The demo's words for the civic-dialogue register: invented titles of draft laws,
regulations, policy documents, municipal binding regulations and EU acts, the public bodies
that draft them (real names of ministries, Saeima committees and municipalities), topics,
and the summaries of opinions (all in Latvian)."""

from __future__ import annotations

from db.enums import DocumentKind, OpinionChannel, OpinionOutcome

K = DocumentKind
C = OpinionChannel
O = OpinionOutcome  # noqa: E741 - the outcomes' short name, as K and C

# Topics (a document's `topics`), each with what organisations propose about it -------------

PROPOSALS: dict[str, tuple[str, ...]] = {
    "NVO": (
        "paredzēt vienkāršotu gada pārskatu biedrībām ar apgrozījumu līdz 20 000 eiro",
        "saglabāt 30 dienu termiņu sabiedriskā labuma statusa piešķiršanai",
        "noteikt, ka valsts budžeta finansējumu NVO piešķir tikai atklātā konkursā",
        "atteikties no prasības katru gadu atkārtoti iesniegt valdes locekļu apliecinājumus",
        "paredzēt daudzgadu darbības atbalsta līgumus reģionālajām NVO"),
    "pilsoniskā līdzdalība": (
        "noteikt vismaz 30 dienu sabiedriskās apspriešanas termiņu",
        "publicēt saņemtos priekšlikumus un atbildes uz tiem vienuviet",
        "iedzīvotāju padomēs iekļaut arī vietējo NVO pārstāvjus",
        "rīkot apspriešanas sanāksmes arī pagastu centros, ne tikai novada centrā",
        "paredzēt tiešsaistes dalības iespēju visās sabiedriskās apspriešanas sanāksmēs"),
    "sociālie pakalpojumi": (
        "paredzēt, ka pakalpojumus var sniegt arī NVO, ne tikai pašvaldības iestādes",
        "iekļaut atelpas brīža pakalpojumu ģimenēm ar bērniem ar invaliditāti",
        "noteikt pakalpojuma pieprasījuma izskatīšanas termiņu 10 darbdienas",
        "pārskatīt ienākumu slieksni, lai atbalstu saņemtu arī strādājošie pensionāri",
        "paredzēt finansējumu aprūpei mājās lauku teritorijās, ņemot vērā attālumus"),
    "jaunatne": (
        "iekļaut jauniešu organizāciju pārstāvjus jaunatnes lietu konsultatīvajā padomē",
        "paredzēt atsevišķu finansējumu jaunatnes darbam lauku teritorijās",
        "atļaut jauniešu iniciatīvu projektus iesniegt arī neformālām jauniešu grupām",
        "noteikt jaunatnes darbinieka slodzi atbilstoši jauniešu skaitam pašvaldībā"),
    "izglītība": (
        "saglabāt interešu izglītības finansējumu mazajās lauku skolās",
        "paredzēt pieaugušo neformālās izglītības programmu licencēšanu bez maksas NVO",
        "iekļaut skolēnu pārvadājumus arī uz interešu izglītības nodarbībām",
        "paredzēt pārejas periodu vismaz vienu mācību gadu"),
    "kultūra": (
        "paredzēt atbalstu amatiermākslas kolektīvu vadītāju atalgojumam",
        "saglabāt vietējo kultūras namu pieejamību NVO pasākumiem bez nomas maksas",
        "iekļaut nemateriālā kultūras mantojuma kopienas konsultācijās"),
    "vide": (
        "paredzēt sabiedrības līdzdalību jau ietekmes uz vidi sākotnējā izvērtējumā",
        "saglabāt aizsargjoslu platumu gar ūdenstilpēm",
        "noteikt, ka koku ciršana apdzīvotās vietās tiek saskaņota ar iedzīvotājiem",
        "paredzēt atkritumu šķirošanas punktus katrā ciemā"),
    "reģionālā attīstība": (
        "novirzīt vismaz 1 % no pašvaldības budžeta līdzdalības budžetam",
        "paredzēt atbalstu kopienu centriem lauku teritorijās",
        "iekļaut reģionālo NVO pārstāvjus plānošanas reģiona attīstības padomē",
        "ņemt vērā sabiedriskā transporta pieejamību, plānojot pakalpojumu centrus"),
    "pieejamība": (
        "iekļaut vides pieejamības prasības arī pārbūvējamām publiskām ēkām",
        "paredzēt informāciju vieglajā valodā un zīmju valodā",
        "noteikt, ka pieejamību izvērtē kopā ar cilvēku ar invaliditāti organizācijām"),
    "veselība": (
        "paredzēt psihoemocionālā atbalsta pakalpojumus arī ārpus lielajām pilsētām",
        "iekļaut pacientu organizācijas darba grupā par veselības aprūpes pieejamību",
        "saglabāt feldšerpunktu tīklu lauku teritorijās"),
    "nodokļi": (
        "saglabāt iedzīvotāju ienākuma nodokļa atvieglojumu par ziedojumiem",
        "paaugstināt ziedojumu atvieglojuma griestus uzņēmumiem",
        "atbrīvot no nekustamā īpašuma nodokļa NVO izmantotās telpas"),
    "seniori": (
        "paredzēt senioru organizāciju iesaisti pakalpojumu plānošanā",
        "iekļaut digitālo prasmju apmācības senioriem pašvaldības plānā",
        "saglabāt braukšanas maksas atvieglojumus senioriem reģionālajos maršrutos"),
    "ģimenes": (
        "paredzēt atbalstu daudzbērnu ģimeņu organizācijām",
        "pagarināt bērnu uzraudzības pakalpojuma laiku vasaras mēnešos",
        "iekļaut audžuģimeņu biedrības konsultācijās"),
    "teritorijas plānojums": (
        "saglabāt publisku piekļuvi ezera krastam",
        "neparedzēt apbūvi applūstošajās teritorijās",
        "saglabāt parka teritoriju kā publisku ārtelpu"),
    "digitalizācija": (
        "nodrošināt, ka pakalpojums pieejams arī klātienē tiem, kuri nelieto internetu",
        "paredzēt e-pakalpojumu testēšanu kopā ar lietotāju organizācijām"),
    "lauki": (
        "paredzēt LEADER pieejas finansējuma saglabāšanu vismaz līdzšinējā apmērā",
        "vienkāršot projektu pieteikumus mazajām lauku kopienām",
        "paredzēt atbalstu vietējo produktu tirdziņiem"),
    "transports": (
        "saglabāt reģionālos autobusu maršrutus skolēnu brīvdienās",
        "paredzēt pieprasījumā balstītu transportu lauku teritorijās"),
    "sports": (
        "paredzēt atbalstu sporta klubiem, kas strādā ar bērniem un jauniešiem",
        "saglabāt skolu sporta zāļu pieejamību vakaros sporta biedrībām"),
}
TOPICS = tuple(PROPOSALS)

# National documents (TAP portal): (kind, title, institution, topics); `{y}` the year,
# `{y2}` a later year, `{n}` a number and `{d}` a date of an earlier regulation ------------

LAWS = (  # amended laws, in the locative; (law, ministry, Saeima committee, topics)
    ("Biedrību un nodibinājumu likumā", "Tieslietu ministrija",
     "Saeimas Juridiskā komisija", "NVO; pilsoniskā līdzdalība"),
    ("Sabiedriskā labuma organizāciju likumā", "Finanšu ministrija",
     "Saeimas Budžeta un finanšu (nodokļu) komisija", "NVO; nodokļi"),
    ("Izglītības likumā", "Izglītības un zinātnes ministrija",
     "Saeimas Izglītības, kultūras un zinātnes komisija", "izglītība"),
    ("Jaunatnes likumā", "Izglītības un zinātnes ministrija",
     "Saeimas Izglītības, kultūras un zinātnes komisija", "jaunatne"),
    ("Sociālo pakalpojumu un sociālās palīdzības likumā", "Labklājības ministrija",
     "Saeimas Sociālo un darba lietu komisija", "sociālie pakalpojumi; seniori"),
    ("Pašvaldību likumā", "Viedās administrācijas un reģionālās attīstības ministrija",
     "Saeimas Valsts pārvaldes un pašvaldības komisija",
     "pilsoniskā līdzdalība; reģionālā attīstība"),
    ("Teritorijas attīstības plānošanas likumā",
     "Viedās administrācijas un reģionālās attīstības ministrija",
     "Saeimas Tautsaimniecības, agrārās, vides un reģionālās politikas komisija",
     "teritorijas plānojums; reģionālā attīstība"),
    ("Vides aizsardzības likumā", "Klimata un enerģētikas ministrija",
     "Saeimas Tautsaimniecības, agrārās, vides un reģionālās politikas komisija", "vide"),
    ("Kultūras institūciju likumā", "Kultūras ministrija",
     "Saeimas Izglītības, kultūras un zinātnes komisija", "kultūra"),
    ("Sporta likumā", "Izglītības un zinātnes ministrija",
     "Saeimas Izglītības, kultūras un zinātnes komisija", "sports; jaunatne"),
    ("Brīvprātīgā darba likumā", "Tieslietu ministrija",
     "Saeimas Cilvēktiesību un sabiedrisko lietu komisija", "NVO; jaunatne"),
    ("likumā “Par iedzīvotāju ienākuma nodokli”", "Finanšu ministrija",
     "Saeimas Budžeta un finanšu (nodokļu) komisija", "nodokļi; NVO"),
    ("Invaliditātes likumā", "Labklājības ministrija",
     "Saeimas Sociālo un darba lietu komisija", "pieejamība; sociālie pakalpojumi"),
    ("Ārstniecības likumā", "Veselības ministrija",
     "Saeimas Sociālo un darba lietu komisija", "veselība"),
    ("Lauksaimniecības un lauku attīstības likumā", "Zemkopības ministrija",
     "Saeimas Tautsaimniecības, agrārās, vides un reģionālās politikas komisija", "lauki"),
    ("Aizsargjoslu likumā", "Klimata un enerģētikas ministrija",
     "Saeimas Tautsaimniecības, agrārās, vides un reģionālās politikas komisija",
     "vide; teritorijas plānojums"),
    ("Sabiedriskā transporta pakalpojumu likumā", "Satiksmes ministrija",
     "Saeimas Tautsaimniecības, agrārās, vides un reģionālās politikas komisija",
     "transports; reģionālā attīstība"),
    ("Bērnu tiesību aizsardzības likumā", "Labklājības ministrija",
     "Saeimas Cilvēktiesību un sabiedrisko lietu komisija", "ģimenes"),
    ("Valsts pārvaldes iekārtas likumā", "Valsts kanceleja",
     "Saeimas Valsts pārvaldes un pašvaldības komisija", "pilsoniskā līdzdalība"),
    ("Nekustamā īpašuma nodokļa likumā", "Finanšu ministrija",
     "Saeimas Budžeta un finanšu (nodokļu) komisija", "nodokļi"),
)
NEW_LAWS = (  # (title of a new law, ministry, committee, topics)
    ("Pilsoniskās sabiedrības atbalsta likums", "Kultūras ministrija",
     "Saeimas Cilvēktiesību un sabiedrisko lietu komisija", "NVO; pilsoniskā līdzdalība"),
    ("Sociālās uzņēmējdarbības likums", "Labklājības ministrija",
     "Saeimas Sociālo un darba lietu komisija", "sociālie pakalpojumi; NVO"),
    ("Ilgtermiņa aprūpes likums", "Labklājības ministrija",
     "Saeimas Sociālo un darba lietu komisija", "seniori; sociālie pakalpojumi"),
    ("Interešu pārstāvības atklātības likums", "Valsts kanceleja",
     "Saeimas Valsts pārvaldes un pašvaldības komisija", "pilsoniskā līdzdalība"),
)
REGULATIONS = (  # cabinet regulations: (title, ministry, topics)
    ("Kārtība, kādā piešķir valsts budžeta finansējumu nevalstiskajām organizācijām",
     "Kultūras ministrija", "NVO"),
    ("Nevalstisko organizāciju fonda darbības un finansējuma piešķiršanas noteikumi",
     "Kultūras ministrija", "NVO; pilsoniskā līdzdalība"),
    ("Sabiedrības līdzdalības kārtība attīstības plānošanas procesā", "Valsts kanceleja",
     "pilsoniskā līdzdalība"),
    ("Prasības sociālo pakalpojumu sniedzējiem", "Labklājības ministrija",
     "sociālie pakalpojumi"),
    ("Kārtība, kādā tiek finansēts asistenta pakalpojums pašvaldībā",
     "Labklājības ministrija", "pieejamība; sociālie pakalpojumi"),
    ("Jaunatnes darbā iesaistīto personu apmācības kārtība",
     "Izglītības un zinātnes ministrija", "jaunatne"),
    ("Interešu izglītības programmu finansēšanas kārtība",
     "Izglītības un zinātnes ministrija", "izglītība; jaunatne"),
    ("Vides pieejamības prasības publiskām ēkām", "Ekonomikas ministrija", "pieejamība"),
    ("Valsts atbalsta piešķiršanas kārtība lauku kopienu iniciatīvām",
     "Zemkopības ministrija", "lauki; reģionālā attīstība"),
    ("Sabiedrības veselības veicināšanas pasākumu finansēšanas kārtība",
     "Veselības ministrija", "veselība"),
    ("Senioru sociālās aprūpes pakalpojumu kvalitātes prasības", "Labklājības ministrija",
     "seniori; sociālie pakalpojumi"),
    ("Kārtība, kādā pašvaldības organizē iedzīvotāju padomju darbu",
     "Viedās administrācijas un reģionālās attīstības ministrija",
     "pilsoniskā līdzdalība; reģionālā attīstība"),
    ("Brīvprātīgā darba organizētāju reģistrācijas noteikumi", "Tieslietu ministrija",
     "NVO"),
    ("Valsts pārvaldes e-pakalpojumu pieejamības noteikumi",
     "Viedās administrācijas un reģionālās attīstības ministrija",
     "digitalizācija; pieejamība"),
    ("Atbalsta sniegšanas kārtība daudzbērnu ģimenēm", "Labklājības ministrija",
     "ģimenes"),
    ("Reģionālās nozīmes maršrutu tīkla noteikumi", "Satiksmes ministrija", "transports"),
    ("Amatiermākslas kolektīvu vadītāju atlīdzības valsts mērķdotācijas sadales kārtība",
     "Kultūras ministrija", "kultūra"),
)
ESF_MEASURES = (  # EU funds' implementing regulations: (the measure, topics)
    ("Pilsoniskās sabiedrības stiprināšana reģionos", "NVO; pilsoniskā līdzdalība"),
    ("Sabiedrībā balstītu sociālo pakalpojumu attīstība", "sociālie pakalpojumi"),
    ("Jauniešu iesaiste izglītībā un nodarbinātībā", "jaunatne; izglītība"),
    ("Pieaugušo prasmju pilnveide", "izglītība"),
    ("Vietējās attīstības stratēģiju īstenošana", "lauki; reģionālā attīstība"),
    ("Sociālās iekļaušanas veicināšana", "sociālie pakalpojumi; pieejamība"),
)
POLICIES = (  # national policy planning documents: (title, ministry, topics)
    ("Pilsoniskas un saliedētas sabiedrības attīstības pamatnostādnes {y}.–{y2}. gadam",
     "Kultūras ministrija", "NVO; pilsoniskā līdzdalība"),
    ("Jaunatnes politikas īstenošanas plāns {y}.–{y2}. gadam",
     "Izglītības un zinātnes ministrija", "jaunatne"),
    ("Sociālās aizsardzības un darba tirgus politikas pamatnostādnes {y}.–{y2}. gadam",
     "Labklājības ministrija", "sociālie pakalpojumi"),
    ("Reģionālās politikas pamatnostādnes {y}.–{y2}. gadam",
     "Viedās administrācijas un reģionālās attīstības ministrija", "reģionālā attīstība"),
    ("Kultūrpolitikas pamatnostādnes {y}.–{y2}. gadam", "Kultūras ministrija", "kultūra"),
    ("Vides politikas pamatnostādnes {y}.–{y2}. gadam", "Klimata un enerģētikas ministrija",
     "vide"),
    ("Sabiedrības veselības pamatnostādnes {y}.–{y2}. gadam", "Veselības ministrija",
     "veselība"),
    ("Izglītības attīstības pamatnostādnes {y}.–{y2}. gadam",
     "Izglītības un zinātnes ministrija", "izglītība"),
    ("Plāns personu ar invaliditāti vienlīdzīgu iespēju veicināšanai {y}.–{y2}. gadam",
     "Labklājības ministrija", "pieejamība"),
    ("Digitālās transformācijas pamatnostādnes {y}.–{y2}. gadam",
     "Viedās administrācijas un reģionālās attīstības ministrija", "digitalizācija"),
    ("Ģimenes politikas rīcības plāns {y}.–{y2}. gadam", "Labklājības ministrija",
     "ģimenes"),
    ("Aktīvas novecošanās stratēģija {y}.–{y2}. gadam", "Labklājības ministrija",
     "seniori"),
)
REPORTS = (  # informative reports ("other"): (subject, institution, topics)
    ("Par nevalstisko organizāciju finansēšanas modeļa pilnveidi", "Kultūras ministrija",
     "NVO"),
    ("Par sabiedrības līdzdalības prakses izvērtējumu valsts pārvaldē", "Valsts kanceleja",
     "pilsoniskā līdzdalība"),
    ("Par sociālo pakalpojumu pieejamību reģionos", "Labklājības ministrija",
     "sociālie pakalpojumi; reģionālā attīstība"),
    ("Par pašvaldību iedzīvotāju padomju darbības pirmo gadu",
     "Viedās administrācijas un reģionālās attīstības ministrija", "pilsoniskā līdzdalība"),
    ("Par jaunatnes organizāciju darbības atbalstu", "Izglītības un zinātnes ministrija",
     "jaunatne; NVO"),
    ("Par Eiropas Savienības fondu ieguldījumu pilsoniskajā sabiedrībā",
     "Finanšu ministrija", "NVO"),
)

# Municipal documents: `{place}` the municipality in the locative ("Talsu novadā") --------

BINDING = (  # saistošie noteikumi: (subject, topics)
    ("Par līdzfinansējuma piešķiršanu nevalstiskajām organizācijām {place}", "NVO"),
    ("Par līdzdalības budžetu {place}", "pilsoniskā līdzdalība"),
    ("Par iedzīvotāju padomēm {place}", "pilsoniskā līdzdalība"),
    ("Par sociālajiem pakalpojumiem {place}", "sociālie pakalpojumi"),
    ("Par sociālās palīdzības pabalstiem {place}", "sociālie pakalpojumi; ģimenes"),
    ("Par atbalstu jauniešu iniciatīvu projektiem {place}", "jaunatne"),
    ("Par nekustamā īpašuma nodokļa atvieglojumiem {place}", "nodokļi; NVO"),
    ("Par koku ciršanu ārpus meža {place}", "vide"),
    ("Par teritorijas kopšanu un būvju uzturēšanu {place}", "vide"),
    ("Par publiskajiem pasākumiem {place}", "kultūra"),
    ("Par interešu izglītības programmu licencēšanu {place}", "izglītība"),
    ("Par braukšanas maksas atvieglojumiem {place}", "transports; seniori"),
    ("Par pašvaldības atbalstu sporta organizācijām {place}", "sports"),
    ("Par kapsētu uzturēšanu un izmantošanu {place}", "vide"),
    ("Par pabalstiem bērna piedzimšanas gadījumā {place}", "ģimenes"),
)
MUNICIPAL_POLICIES = (  # `{council}` the municipality in the genitive ("Talsu novada")
    ("{council} attīstības programma {y}.–{y2}. gadam", "reģionālā attīstība"),
    ("{council} jaunatnes politikas stratēģija {y}.–{y2}. gadam", "jaunatne"),
    ("{council} sociālo pakalpojumu attīstības plāns {y}.–{y2}. gadam",
     "sociālie pakalpojumi"),
    ("{council} teritorijas plānojuma grozījumi", "teritorijas plānojums"),
    ("{council} kultūrvides attīstības stratēģija {y}.–{y2}. gadam", "kultūra"),
    ("{council} vides pieejamības plāns", "pieejamība"),
)
MUNICIPAL_OTHER = (
    ("{council} NVO projektu konkursa nolikums {y}. gadam", "NVO"),
    ("{council} iedzīvotāju padomju nolikums", "pilsoniskā līdzdalība"),
    ("{council} kopienu iniciatīvu konkursa nolikums", "NVO; reģionālā attīstība"),
)

# EU acts: (title, topics); drafted by the European Commission ---------------------------

EU_ACTS = (
    ("Priekšlikums Eiropas Parlamenta un Padomes regulai par Eiropas Sociālo fondu Plus "
     "pēc 2027. gada", "sociālie pakalpojumi; izglītība"),
    ("Priekšlikums Eiropas Parlamenta un Padomes direktīvai par Eiropas pārrobežu "
     "asociācijām", "NVO"),
    ("Priekšlikums direktīvai par pārredzamības prasībām trešo valstu vārdā veiktām interešu "
     "pārstāvības darbībām", "NVO; pilsoniskā līdzdalība"),
    ("Priekšlikums regulai par Eiropas invaliditātes karti", "pieejamība"),
    ("Priekšlikums regulai par kohēzijas politikas atbalsta nosacījumiem 2028.–2034. gadam",
     "reģionālā attīstība"),
    ("Komisijas paziņojums par Eiropas pilsoniskās sabiedrības stratēģiju",
     "NVO; pilsoniskā līdzdalība"),
    ("Priekšlikums regulai par kopējās lauksaimniecības politikas stratēģiskajiem plāniem",
     "lauki"),
    ("Priekšlikums direktīvai par vides apgalvojumu pamatošanu", "vide"),
    ("Zaļā grāmata par novecošanu un paaudžu solidaritāti", "seniori"),
    ("Priekšlikums Padomes ieteikumam par jaunatnes garantiju", "jaunatne"),
)
EU_INSTITUTION = "Eiropas Komisija"
CHANCERY = "Valsts kanceleja"

# The mix of documents: (level's code, share) ---------------------------------------------
# TAP: national documents on the portal; SAEIMA: bills in a committee (own `Nr./Lp14`);
# MUNICIPAL: a council's documents (own reference); EU: Commission proposals (COM number).
SOURCES = (("tap", 58), ("saeima", 5), ("municipal", 30), ("eu", 7))
TAP_KINDS = ((K.CABINET_REGULATION, 46), (K.LAW, 22), (K.POLICY_DOCUMENT, 17), (K.OTHER, 15))
MUNICIPAL_KINDS = ((K.MUNICIPAL_BINDING_REGULATION, 68), (K.POLICY_DOCUMENT, 20),
                   (K.OTHER, 12))
MONTHS_LV = ("janvāra", "februāra", "marta", "aprīļa", "maija", "jūnija", "jūlija",
             "augusta", "septembra", "oktobra", "novembra", "decembra")

# Opinions -------------------------------------------------------------------------------

CHANNELS = {  # by where the document comes from
    "tap": ((C.TAP_PORTAL, 68), (C.LETTER, 14), (C.WORKING_GROUP, 10),
            (C.CONSULTATION_MEETING, 8)),
    "saeima": ((C.LETTER, 55), (C.WORKING_GROUP, 45)),
    "municipal": ((C.LETTER, 50), (C.CONSULTATION_MEETING, 42), (C.WORKING_GROUP, 8)),
    "eu": ((C.LETTER, 70), (C.CONSULTATION_MEETING, 15), (C.WORKING_GROUP, 15)),
}
# What became of an answered opinion (no answer: none came within four months).
OUTCOMES = ((O.TAKEN_INTO_ACCOUNT, 28), (O.PARTLY_TAKEN_INTO_ACCOUNT, 27),
            (O.NOT_TAKEN_INTO_ACCOUNT, 31), (O.NO_ANSWER, 14))
SUMMARY_FRAMES = (
    "Ierosinām {p}.",
    "Atbalstām projektu kopumā, bet aicinām {p}.",
    "Iebilstam pret projektā paredzēto kārtību; lūdzam {p}.",
    "Aicinām {p} un paredzēt pārejas periodu.",
    "Biedrības valde lēma iesniegt priekšlikumu {p}.",
)
JOINT_FRAMES = (
    "Kopīgs {n} organizāciju viedoklis: aicinām {p}.",
    "Reģiona NVO kopīgi ierosina {p}.",
)
OPINION_NOTES = (
    "Sagatavots kopā ar inkubatora juristu.",
    "Atbildi solīja līdz mēneša beigām; atgādināt.",
    "Apspriešanas sanāksmē piedalījās arī valdes priekšsēdētāja.",
    "Iesniegšanas apliecinājums saglabāts biedrības e-pastā.",
    "Institūcija lūdza precizēt priekšlikuma 3. punktu.",
)
DOCUMENT_NOTES = (
    "Sekot līdzi komisijas sēžu darba kārtībai.",
    "Pašvaldība solīja otru apspriešanas kārtu.",
    "Svarīgs vairākām inkubatora organizācijām; informēt tās.",
    "Projekta teksts tīmekļvietnē vēl nav galīgais.",
)
RETURN_COMMENTS = (
    "Lūdzu pievienot iesniegtā viedokļa kopiju vai portāla apliecinājumu.",
    "Precizējiet iesniegšanas datumu un kanālu.",
    "Kopsavilkumā nav skaidrs, ko tieši ierosinām; lūdzu papildināt.",
)
