"""Header names, activity-type words and date words of watch exports, in every language found.

Data only: nothing here parses a file. The importers look names up in these tables.

``GARMIN_HEADERS``
    Garmin Connect ``Activities.csv`` (the activity list's "Export CSV"): language code ->
    canonical column -> the header spellings that column has had, most common first.
    Garmin names the columns in the account's language and leaves out columns that no
    listed activity uses, so any of them may be missing. The cadence column is named
    after one sport (run, bike or swim cadence) but holds every row's cadence; some
    languages even use the same name twice (Hungarian, Korean). Number format (decimal
    comma or point) does not follow the language.
``GARMIN_TYPES``
    Words of the ``Activity Type`` column -> canonical type key. Garmin writes the type
    in the language of the account at export time; titles keep the language the
    activity was created in ("Kraków Bieganie" in an English export).
``MONTHS`` / ``WEEKDAYS``
    Month (January first) and weekday (Monday first) words, each a tuple of accepted
    spellings: the glibc 2.36 locale data's abbreviation, full name and, where glibc
    has one, the nominative form, followed by spellings seen in real exports. A reader
    should compare case-insensitively and ignore a trailing full stop.
``STRAVA_HEADERS`` / ``STRAVA_TYPES``
    Strava bulk export ``activities.csv``: headers per language (the 2018 lowercase
    layout is in "en") and localized ``Activity Type`` words.

Every language block names its source. "real export" means a CSV file written by the
service and committed to a public repository; "parser code" or "test" means another
project's code that names the strings (weaker evidence). ``# unverified:`` marks
strings without such a source. docs/export-vocabulary.md has the full header lines,
commits and the layouts by year.
"""

#: language code -> canonical column -> header spellings (as written in the export)
GARMIN_HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    # en: real exports kkuklewski/sport_tracker Activities.csv@48d33cdb (2026),
    # jakobczakmagda/my-garmin-activities data/Activities.csv@2f02989b (2025),
    # nobuyamaguchi/w209_project_1 data/Activities.csv@6d679bff (2019-2020, "Elev Gain"),
    # gallerta/Amateur-Running Activities.csv@05feb086 (2017-2019), MichielGhesquiere/
    # SleepHabits data/Activities.csv@94c9f47f; "Activity Time" from a header quoted in a
    # README (find_string 37014698178). Old layout (2012-2016, title line "Activities"
    # above the header): "Activity Name", "Start", "Elevation Gain", "Avg Speed(Avg Pace)",
    # real rows quoted in the 2016 blog post behind jpyth/garmin-elk.
    "en": {
        "type": ("Activity Type",),
        "date": ("Date", "Start"),
        "title": ("Title", "Activity Name"),
        "distance": ("Distance",),
        "time": ("Time", "Activity Time"),
        "moving": ("Moving Time",),
        "elapsed": ("Elapsed Time",),
        "ascent": ("Total Ascent", "Elev Gain", "Elevation Gain"),
        "cadence": ("Avg Run Cadence", "Avg Bike Cadence"),
        "stride": ("Avg Stride Length",),
        "steps": ("Steps",),
        "avg_pace": ("Avg Pace", "Avg Speed(Avg Pace)"),
        "avg_speed": ("Avg Speed", "Avg Speed(Avg Pace)"),
        "calories": ("Calories",),
        "avg_hr": ("Avg HR",),
    },
    # de: header lines copied from real exports into code comments: "aux_running" scripts
    # (find_string 47724376155, 47948922074) and REGmon is_Garmin_CSV_file (32346310390,
    # 2017 row "Radfahren,2017-04-22 13:12:32,..."). "Zeit in Bewegung", "Verstrichene Zeit",
    # "Anstieg gesamt", "Schritte", "Ø Herzfrequenz": a TypeScript writer of the German
    # layout (53911897383), parser code. "Ø Trittfrequenz": Kotlin test (70622881619) whose
    # owner says run and bike cadence share one German name.
    "de": {
        "type": ("Aktivitätstyp",),
        # "Start": the 2012 German list (title line above the header, dates like
        # "Fr, 25 Mai 2012 20:31"), as a user reported it in loadwatch issue 12;
        # unverified: no such file found in public code
        "date": ("Datum", "Start"),
        "title": ("Titel",),
        "distance": ("Distanz",),
        "time": ("Zeit",),
        "moving": ("Zeit in Bewegung",),
        "elapsed": ("Verstrichene Zeit",),
        "ascent": ("Positiver Höhenunterschied", "Anstieg gesamt"),
        "cadence": ("Ø Schrittfrequenz (Laufen)", "Ø Trittfrequenz"),
        "stride": ("Ø Schrittlänge",),
        "steps": ("Schritte",),
        "avg_pace": ("Ø Pace",),
        "avg_speed": ("Ø Geschwindigkeit",),
        "calories": ("Kalorien",),
        "avg_hr": ("Ø HF", "Ø Herzfrequenz"),
    },
    # fr: full header in scripts/reset.py entete_csv (find_string 60480965147, parser code)
    # and a test whose rows are "extrait fidèle d'un export réel" (66820762753).
    "fr": {
        "type": ("Type d'activité",),
        "date": ("Date",),
        "title": ("Titre",),
        "distance": ("Distance",),
        "time": ("Durée",),
        "moving": ("Temps de déplacement",),
        "elapsed": ("Temps écoulé",),
        "ascent": ("Ascension totale",),
        "cadence": ("Cadence de course moyenne",),
        "stride": ("Longueur moyenne des foulées",),
        "steps": ("Pas",),
        "avg_pace": ("Allure moyenne",),
        # unverified: no French speed column seen (loadwatch had none either)
        "avg_speed": (),
        "calories": ("Calories",),
        "avg_hr": ("Fréquence cardiaque moyenne",),
    },
    # es: real export asierrodri/EDA-Running Activities.csv@76f73005 (2025).
    "es": {
        "type": ("Tipo de actividad",),
        "date": ("Fecha",),
        "title": ("Título",),
        "distance": ("Distancia",),
        "time": ("Tiempo",),
        "moving": ("Tiempo en movimiento",),
        "elapsed": ("Tiempo transcurrido",),
        "ascent": ("Ascenso total",),
        "cadence": ("Cadencia de carrera media",),
        "stride": ("Longitud media de zancada",),
        "steps": ("Pasos",),
        "avg_pace": ("Ritmo medio",),
        # unverified: no Spanish speed column seen
        "avg_speed": (),
        "calories": ("Calorías",),
        "avg_hr": ("Frecuencia cardiaca media",),
    },
    # it: header written by a script that mimics the Italian export (find_string
    # 18261686700, parser code); no Italian export file found.
    "it": {
        "type": ("Tipo di attività",),
        "date": ("Data",),
        "title": ("Titolo",),
        "distance": ("Distanza",),
        "time": ("Tempo",),
        "moving": ("Tempo in movimento",),
        "elapsed": ("Tempo trascorso",),
        "ascent": ("Ascesa totale",),
        "cadence": ("Cadenza di corsa media",),
        "stride": ("Lunghezza media passo",),
        # unverified: "Passi" (loadwatch's earlier alias), not in the header found
        "steps": ("Passi",),
        "avg_pace": ("Passo medio",),
        "avg_speed": (),
        "calories": ("Calorie",),
        "avg_hr": ("FC Media",),
    },
    # nl: only column names rebuilt from a PL/SQL loader of a real Dutch Activities.csv
    # (find_string 48255728156), which checks the first header cell == 'Activiteittype'
    # and turns spaces and dots into "_" ("Gem_HS", "Tijd_bewogen"). Where that leaves the
    # punctuation open the spelling is marked unverified.
    "nl": {
        "type": ("Activiteittype",),
        "date": ("Datum",),
        "title": ("Titel",),
        "distance": ("Afstand",),
        "time": ("Tijd",),
        "moving": ("Tijd bewogen",),
        "elapsed": ("Verstreken tijd",),
        "ascent": ("Totale stijging",),
        # unverified: "Gem. cadans" (loadwatch's earlier alias); the loader has
        # "Gemiddelde_fietscadans" at the cadence position
        "cadence": ("Gemiddelde fietscadans", "Gem. cadans"),
        # unverified: dot after "Gem" ("Gem_staplengte" in the loader)
        "stride": ("Gem. staplengte",),
        # unverified: loadwatch's earlier alias
        "steps": ("Stappen",),
        "avg_pace": (),
        "avg_speed": ("Gemiddelde snelheid",),
        # unverified: the loader spells it "Calorieen"; the export likely has "Calorieën"
        "calories": ("Calorieën",),
        # unverified: dot after "Gem" ("Gem_HS" in the loader)
        "avg_hr": ("Gem. HS",),
    },
    # pt (Brazil): real export RGazzaneo/projeto_garmin Activities.csv@facbfa52 (2021,
    # re-saved: booleans "False", merged column sets); "Tempo total", "Tempo transcorrido",
    # "Passos": csv-parser test (find_string 55353737984). No pt-PT export found;
    # unverified whether Garmin's Portugal Portuguese differs.
    "pt": {
        "type": ("Tipo de atividade",),
        "date": ("Data",),
        "title": ("Título",),
        "distance": ("Distância",),
        "time": ("Tempo", "Tempo total"),
        "moving": ("Tempo em movimento",),
        "elapsed": ("Duração", "Tempo transcorrido"),
        "ascent": ("Subida total",),
        "cadence": ("Cadência de corrida média", "Cadência bicicleta média"),
        "stride": ("Comprimento médio da passada",),
        "steps": ("Passos",),
        "avg_pace": ("Ritmo médio",),
        "avg_speed": ("Velocidade média",),
        "calories": ("Calorias",),
        "avg_hr": ("FC Média",),
    },
    # da: real export Bjarke848/AI_TrainingPlanner Activities.csv@84a5fe31 (2025). Its
    # "Tid" is h:mm ("0:45" for 45 min, "6:01"), not h:mm:ss; "Tid i bevægelse" and
    # "Tidsforbrug" are hh:mm:ss. The cadence column is named after swimming but holds
    # the run cadence.
    "da": {
        "type": ("Aktivitetstype",),
        "date": ("Dato",),
        "title": ("Titel",),
        "distance": ("Distance",),
        "time": ("Tid",),
        "moving": ("Tid i bevægelse",),
        "elapsed": ("Tidsforbrug",),
        "ascent": ("Samlet stigning",),
        "cadence": ("Gennemsnitlig svømmekadence",),
        "stride": ("Gennemsnitlig skridtlængde",),
        "steps": ("Skridt",),
        "avg_pace": ("Gennemsnitstempo",),
        "avg_speed": (),
        "calories": ("Kalorier",),
        "avg_hr": ("Gennemsnitlig puls",),
    },
    # nb: real export markuspettersen1/utafor Activities.csv@49153ba5 (2026), decimal
    # comma and "." thousands.
    "nb": {
        "type": ("Aktivitetstype",),
        "date": ("Dato",),
        "title": ("Tittel",),
        "distance": ("Distanse",),
        "time": ("Tid",),
        "moving": ("Tid i bevegelse",),
        "elapsed": ("Medgått tid",),
        "ascent": ("Total stigning",),
        "cadence": ("Gjennomsnittlig frekvens for løping",),
        "stride": ("Gjennomsnittlig skrittlengde",),
        "steps": ("Skritt",),
        "avg_pace": ("Gjennomsnittlig tempo",),
        "avg_speed": (),
        "calories": ("Totale kalorier",),
        "avg_hr": ("Gjennomsnittlig puls",),
    },
    # sv: real export IsakJacobsson/garmin-extended-data Activities.csv@079d4fb0 (2024),
    # and an Excel re-save of a Swedish export with the accents dropped and ";" as
    # separator, idamarialuhtaniemi/10rivia_w3 Activities.csv@bf8d2da5 ("Medellopkadens",
    # "Medeltempo", "Fardtid"). The accented "Medellöpkadens" is rebuilt from it.
    "sv": {
        "type": ("Aktivitetstyp",),
        "date": ("Datum",),
        "title": ("Namn",),
        "distance": ("Distans",),
        "time": ("Tid",),
        "moving": ("Färdtid", "Fardtid"),
        "elapsed": ("Total tid",),
        "ascent": ("Total stigning",),
        # unverified: "Medellöpkadens" (accent restored)
        "cadence": ("Medellöpkadens", "Medelcykelkadens", "Medellopkadens"),
        "stride": ("Medelsteglängd", "Medelsteglangd"),
        "steps": (),
        "avg_pace": ("Medeltempo",),
        "avg_speed": ("Medelfart",),
        "calories": ("Kalorier",),
        "avg_hr": ("Medelpuls",),
    },
    # pl: real exports dbonkowska/Bloom bloom-backend/src/test/resources/garmin-sample.csv
    # @5e0e9d8a (2026) and kosek-g/Running_performance_analysis Activities.csv@6b036d3f
    # (2021: "Kalorie", "Średni rytm biegu").
    "pl": {
        "type": ("Typ aktywności",),
        "date": ("Data",),
        "title": ("Tytuł",),
        "distance": ("Dystans",),
        "time": ("Czas",),
        "moving": ("Czas ruchu",),
        "elapsed": ("Upłynęło czasu",),
        "ascent": ("Całkowity wznios",),
        "cadence": ("Średni rytm biegu", "Średnia kadencja"),
        "stride": ("Średnia długość kroku",),
        "steps": ("Kroki",),
        "avg_pace": ("Średnie tempo",),
        "avg_speed": (),
        "calories": ("Suma kalorii", "Kalorie"),
        "avg_hr": ("Średnie tętno",),
    },
    # hu: real export lovajujo/sport-data Activities.csv@c1d7af2b (2024). "Átl. pedálütem"
    # appears twice: the first holds the run cadence, the second the bike cadence.
    "hu": {
        "type": ("Tevékenység típusa",),
        "date": ("Dátum",),
        "title": ("Cím",),
        "distance": ("Távolság",),
        "time": ("Idő",),
        "moving": ("Menetidő",),
        "elapsed": ("Eltelt idő",),
        "ascent": ("Teljes emelkedés",),
        "cadence": ("Átl. pedálütem",),
        "stride": ("Átlagos lépéshossz",),
        "steps": ("Lépések",),
        "avg_pace": ("Átlagos tempó",),
        "avg_speed": (),
        "calories": ("Kalóriaszám",),
        "avg_hr": ("Átlagos pulzusszám",),
    },
    # ko: real export healthyjun92/harness-news Activities.csv@70aea22a (2026).
    # "평균 수영 케이던스" (swim cadence) appears twice; the first holds the run cadence.
    "ko": {
        "type": ("활동 종류",),
        "date": ("날짜",),
        "title": ("제목",),
        "distance": ("거리",),
        "time": ("시간",),
        "moving": ("이동 시간",),
        "elapsed": ("경과 시간",),
        "ascent": ("총 상승",),
        "cadence": ("평균 수영 케이던스",),
        "stride": ("평균 보폭",),
        "steps": ("걸음",),
        "avg_pace": ("평균 페이스",),
        "avg_speed": (),
        "calories": ("칼로리",),
        "avg_hr": ("평균 심박",),
    },
    # zh (simplified): header and rows of a real export copied into diarysync's tests
    # (find_string 68535064462: "衢州市 - 基础训练", Excel guard "'-9"). "平均速度" holds
    # the pace ("5:03") for runs.
    "zh": {
        "type": ("活动类型",),
        "date": ("日期",),
        "title": ("标题",),
        "distance": ("距离",),
        "time": ("时间",),
        "moving": ("移动时间",),
        "elapsed": ("全程耗时",),
        "ascent": ("累计爬升",),
        "cadence": ("平均步频",),
        "stride": ("平均步长",),
        "steps": ("步数",),
        "avg_pace": ("平均速度",),
        "avg_speed": ("平均速度",),
        "calories": ("热量消耗",),
        "avg_hr": ("平均心率",),
    },
    # ja: column names of garmin_import.py, a parser of the Japanese export (find_string
    # 56239513260, matches by substring); "移動時間", "経過時間", "平均歩幅", "ステップ" only
    # from a hand-made test CSV (70206614613).
    "ja": {
        "type": ("アクティビティタイプ",),
        "date": ("日付",),
        "title": ("タイトル",),
        "distance": ("距離",),
        "time": ("タイム",),
        # unverified: test CSV only
        "moving": ("移動時間",),
        # unverified: test CSV only
        "elapsed": ("経過時間",),
        "ascent": ("総上昇量",),
        "cadence": ("平均ピッチ",),
        # unverified: test CSV only
        "stride": ("平均歩幅",),
        # unverified: test CSV only
        "steps": ("ステップ",),
        "avg_pace": ("平均ペース",),
        "avg_speed": (),
        "calories": ("カロリー",),
        "avg_hr": ("平均心拍数",),
    },
    # zh-Hant: a Traditional-Chinese reader of the export matches these three names
    # (parseGarminCSV, find_string 70478181126, parser code); the other columns are left
    # to the structural fallback.
    "zh-Hant": {
        "type": ("活動類型",),
        "date": ("日期",),
        "distance": ("距離",),
        # unverified: the Traditional form of the Simplified "时间"
        "time": ("時間",),
    },
    # unverified: no header found for fi, cs, ru, uk, el, tr, th, id, sk, hr, sl, ro, bg
    # (searched again in 2026 for their Activity Type words, for "<type>,<year>-" row
    # starts and for files named Activities.csv). Their files are read by the
    # structural fallback (csv_guess), which recognises the columns by their contents.
}

#: language code -> activity-type word -> canonical type key
GARMIN_TYPES: dict[str, dict[str, str]] = {
    # en: real exports (see GARMIN_HEADERS["en"]) and the old-layout rows of the
    # garmin-elk post ("Lap Swimming", "Open Water Swimming", "Rowing").
    "en": {
        "Running": "running",
        "Treadmill Running": "treadmill_running",
        "Cycling": "cycling",
        "Walking": "walking",
        "Pool Swim": "lap_swimming",
        "Lap Swimming": "lap_swimming",
        "Open Water Swimming": "open_water_swimming",
        "Strength Training": "strength_training",
        "Rowing": "rowing",
        "Multisport": "multi_sport",
        "Other": "other",
        # unverified: labels in parser code (find_string 55169369919, 30239425409), not
        # seen in an export file
        "Trail Running": "trail_running",
        "Track Running": "track_running",
        "Indoor Running": "indoor_running",
        "Street Running": "street_running",
        "Virtual Running": "virtual_run",
        "Ultra Running": "ultra_run",
        "Obstacle Course Racing": "obstacle_run",
        "Indoor Cycling": "indoor_cycling",
        "Mountain Biking": "mountain_biking",
        "Road Biking": "road_biking",
        "Elliptical": "elliptical",
        "Indoor Rowing": "rowing",
    },
    # de: "every German activity type the owner's export contains" (Kotlin test,
    # find_string 70622881619) and REGmon's 2017 row.
    "de": {
        "Laufen": "running",
        "Laufbandtraining": "treadmill_running",
        "Radfahren": "cycling",
        "Indoor-Radfahren": "indoor_cycling",
        # virtual rides (Zwift) count as indoor cycling
        "Virtuelles Radfahren": "indoor_cycling",
        "Krafttraining": "strength_training",
        "Gehen": "walking",
        "Yoga": "yoga",
        # Garmin's HIIT type; no canonical HIIT key, cardio is the nearest
        "HIIT": "cardio",
        "Sonstige": "other",
    },
    # fr: test rows "extrait fidèle d'un export réel" (find_string 66820762753).
    "fr": {
        "Course à pied": "running",
        "Musculation": "strength_training",
        "Randonnée": "hiking",
    },
    # es: real export asierrodri/EDA-Running (2025).
    "es": {
        "Carrera": "running",
        "Entrenamiento en cinta": "treadmill_running",
        "Trail running": "trail_running",
    },
    # it: the export-mimicking script (find_string 18261686700).
    "it": {
        "Corsa": "running",
    },
    # pt (Brazil): real export RGazzaneo/projeto_garmin (2021); "Cardiovascular" from the
    # csv-parser test (find_string 55353737984).
    "pt": {
        "Ciclismo": "cycling",
        "Ciclismo em estradas": "road_biking",
        "Ciclismo na montanha": "mountain_biking",
        "Ciclismo em local fechado": "indoor_cycling",
        "Cardiovascular": "cardio",
        # the whole RGazzaneo file read in 2026 (2480 rows, 2021)
        "Corrida": "running",
        "Corrida em esteira": "treadmill_running",
        "Corrida em trilhas": "trail_running",
        "Natação em piscina": "lap_swimming",
        "Natação em alto mar": "open_water_swimming",
        "Ciclismo virtual": "indoor_cycling",
    },
    # da: real export Bjarke848/AI_TrainingPlanner (2025).
    "da": {
        "Løb": "running",
        "Løb terræn": "trail_running",
        "Gang": "walking",
        "Cykling": "cycling",
        "Cykling på grusveje": "gravel_cycling",
        "Svøm i pool": "lap_swimming",
        "Styrketræning": "strength_training",
        # the same export, the whole file read in 2026 (120 rows)
        "Svømning i åbent vand": "open_water_swimming",
        "Vandring": "hiking",
    },
    # nb: real export markuspettersen1/utafor (2026).
    "nb": {
        "Løping": "running",
        "Sykling": "cycling",
        "Basseng": "lap_swimming",
    },
    # sv: real export IsakJacobsson/garmin-extended-data (2024); "Lopband" from the
    # accent-less re-save (idamarialuhtaniemi/10rivia_w3).
    "sv": {
        "Löpning": "running",
        # unverified: "Löpband" (accent restored from "Lopband")
        "Löpband": "treadmill_running",
        "Lopning": "running",
        "Lopband": "treadmill_running",
        "Gång": "walking",
        "Inomhuscykling": "indoor_cycling",
        "Styrketräning": "strength_training",
        "Konditionspass": "cardio",
        # every type of IsakJacobsson's five exports (2024-2026), read whole in 2026
        "Cykling": "cycling",
        "Simbassäng": "lap_swimming",
        "Simning": "swimming",
        "Vandring": "hiking",
        "Yoga": "yoga",
        "Annan": "other",
        "Utförsåkning i pist": "other",
        "Längdskidåkning klassisk stil": "other",
        "Längdskidåkning fristil": "other",
        "Tennis": "other",
        "Golf": "other",
        "Discgolf": "other",
        "Padel": "other",
        "Badminton": "other",
        "Squash": "other",
        # the accent-less re-save (idamarialuhtaniemi/10rivia_w3), read whole
        "Styrketraning": "strength_training",
        "Andningsterapi": "other",
        "Langdskidakning fristil": "other",
    },
    # pl: real exports dbonkowska/Bloom fixture (2026) and kosek-g (2021). "Bieg na
    # bieżni" is the auto-title of a Treadmill Running row in jakobczakmagda's export.
    "pl": {
        "Bieganie": "running",
        "Chodzenie": "walking",
        "Pływanie na basenie": "lap_swimming",
        "Trening siłowy": "strength_training",
        "Joga": "yoga",
        # unverified: seen as a title, not in the type column
        "Bieg na bieżni": "treadmill_running",
    },
    # hu: real export lovajujo/sport-data (2024).
    "hu": {
        "Futás": "running",
        "Gyaloglás": "walking",
        "Kerékpározás": "cycling",
        "Kardió": "cardio",
        "Erősítő edzés": "strength_training",
        # the same export, read whole in 2026 (678 rows)
        "Beltéri futás": "indoor_running",
        # "hall running": an indoor track, not a treadmill
        "Teremfutás": "track_running",
        "Szobakerékpározás": "indoor_cycling",
        "Nyíltvízi úszás": "open_water_swimming",
        "Lépcsőzés": "cardio",
        "Légzőgyakorlat": "other",
    },
    # ko: real export healthyjun92/harness-news (2026).
    "ko": {
        "러닝": "running",
        "트레드밀 러닝": "treadmill_running",
        "트레일 러닝": "trail_running",
        "도로 사이클링": "road_biking",
        "실내 자전거타기": "indoor_cycling",
        "풀 수영": "lap_swimming",
        "근력 훈련": "strength_training",
        "멀티스포츠": "multi_sport",
    },
    # zh (simplified): diarysync tests (find_string 68535064462).
    "zh": {
        "跑步": "running",
        "跑步机": "treadmill_running",
        "骑行": "cycling",
        "室内骑行": "indoor_cycling",
        "有氧运动": "cardio",
    },
    # ja: type sets of garmin_import.py (find_string 56239513260), parser code.
    "ja": {
        "ラン": "running",
        "トラックラン": "track_running",
        "トレッドミル": "treadmill_running",
        "屋内ラン": "indoor_running",
        "バーチャルラン": "virtual_run",
        "バイク": "cycling",
        "屋内バイク": "indoor_cycling",
        "バーチャルバイク": "indoor_cycling",
        "筋力トレーニング": "strength_training",
        "カーディオ": "cardio",
        "Xトレーナー": "elliptical",
    },
    # zh-Hant: the running types of the Traditional-Chinese reader above (find_string
    # 70478181126, parser code).
    "zh-Hant": {
        "跑步": "running",
        "跑步機": "treadmill_running",
        "越野跑步": "trail_running",
        "越野跑": "trail_running",
        "室內跑步": "indoor_running",
        "虛擬跑步": "virtual_run",
        "跑道跑步": "track_running",
        "超級馬拉松": "ultra_run",
    },
    # unverified, all of them: the plain word for running in languages whose export was
    # not found. A row with any other type word in these languages stays "other" and is
    # named in a warning.
    "fi": {"Juoksu": "running"},
    "cs": {"Běh": "running"},
    "ru": {"Бег": "running"},
    "uk": {"Біг": "running"},
    "el": {"Τρέξιμο": "running"},
    "tr": {"Koşu": "running"},
    "th": {"วิ่ง": "running"},
    "id": {"Lari": "running"},
}

#: language code -> 12 month names/abbreviations as the exports write them (January first);
#: each entry a tuple of accepted spellings. Source of the glibc forms: Debian locales
#: 2.36 (/usr/share/i18n/locales/<locale>, CLDR-derived); exports seen are noted.
MONTHS: dict[str, tuple[tuple[str, ...], ...]] = {
    # en: glibc en_US (en_GB identical)
    # real: Strava "Sep 12, 2018, 3:02:23 PM", old Garmin "Wed, Jun 10, 2015 4:44"
    "en": (
        ("Jan", "January"),
        ("Feb", "February"),
        ("Mar", "March"),
        ("Apr", "April"),
        ("May",),
        ("Jun", "June"),
        ("Jul", "July"),
        ("Aug", "August"),
        ("Sep", "September"),
        ("Oct", "October"),
        ("Nov", "November"),
        ("Dec", "December"),
    ),
    # de: glibc de_DE
    "de": (
        ("Jan", "Januar"),
        ("Feb", "Februar"),
        ("Mär", "März"),
        ("Apr", "April"),
        ("Mai",),
        ("Jun", "Juni"),
        ("Jul", "Juli"),
        ("Aug", "August"),
        ("Sep", "September"),
        ("Okt", "Oktober"),
        ("Nov", "November"),
        ("Dez", "Dezember"),
    ),
    # fr: glibc fr_FR
    "fr": (
        ("janv.", "janvier"),
        ("févr.", "février"),
        ("mars",),
        ("avril",),
        ("mai",),
        ("juin",),
        ("juil.", "juillet"),
        ("août",),
        ("sept.", "septembre"),
        ("oct.", "octobre"),
        ("nov.", "novembre"),
        ("déc.", "décembre"),
    ),
    # es: glibc es_ES
    "es": (
        ("ene", "enero"),
        ("feb", "febrero"),
        ("mar", "marzo"),
        ("abr", "abril"),
        ("may", "mayo"),
        ("jun", "junio"),
        ("jul", "julio"),
        ("ago", "agosto"),
        ("sep", "septiembre"),
        ("oct", "octubre"),
        ("nov", "noviembre"),
        ("dic", "diciembre"),
    ),
    # it: glibc it_IT
    "it": (
        ("gen", "gennaio"),
        ("feb", "febbraio"),
        ("mar", "marzo"),
        ("apr", "aprile"),
        ("mag", "maggio"),
        ("giu", "giugno"),
        ("lug", "luglio"),
        ("ago", "agosto"),
        ("set", "settembre"),
        ("ott", "ottobre"),
        ("nov", "novembre"),
        ("dic", "dicembre"),
    ),
    # nl: glibc nl_NL
    # plus real Strava nl spellings "23 jun. 2017", "6 mei 2013" (CasperHogenboom)
    "nl": (
        ("jan", "januari"),
        ("feb", "februari"),
        ("mrt", "maart"),
        ("apr", "april", "apr."),
        ("mei",),
        ("jun", "juni", "jun."),
        ("jul", "juli", "jul."),
        ("aug", "augustus", "aug."),
        ("sep", "september", "sep."),
        ("okt", "oktober", "okt."),
        ("nov", "november", "nov."),
        ("dec", "december"),
    ),
    # pt: glibc pt_PT (pt_BR identical)
    "pt": (
        ("jan", "janeiro"),
        ("fev", "fevereiro"),
        ("mar", "março"),
        ("abr", "abril"),
        ("mai", "maio"),
        ("jun", "junho"),
        ("jul", "julho"),
        ("ago", "agosto"),
        ("set", "setembro"),
        ("out", "outubro"),
        ("nov", "novembro"),
        ("dez", "dezembro"),
    ),
    # da: glibc da_DK
    "da": (
        ("jan", "januar"),
        ("feb", "februar"),
        ("mar", "marts"),
        ("apr", "april"),
        ("maj",),
        ("jun", "juni"),
        ("jul", "juli"),
        ("aug", "august"),
        ("sep", "september"),
        ("okt", "oktober"),
        ("nov", "november"),
        ("dec", "december"),
    ),
    # sv: glibc sv_SE
    "sv": (
        ("jan", "januari"),
        ("feb", "februari"),
        ("mar", "mars"),
        ("apr", "april"),
        ("maj",),
        ("jun", "juni"),
        ("jul", "juli"),
        ("aug", "augusti"),
        ("sep", "september"),
        ("okt", "oktober"),
        ("nov", "november"),
        ("dec", "december"),
    ),
    # nb: glibc nb_NO
    "nb": (
        ("jan.", "januar"),
        ("feb.", "februar"),
        ("mars",),
        ("april",),
        ("mai",),
        ("juni",),
        ("juli",),
        ("aug.", "august"),
        ("sep.", "september"),
        ("okt.", "oktober"),
        ("nov.", "november"),
        ("des.", "desember"),
    ),
    # fi: glibc fi_FI
    "fi": (
        ("tammi", "tammikuu"),
        ("helmi", "helmikuu"),
        ("maalis", "maaliskuu"),
        ("huhti", "huhtikuu"),
        ("touko", "toukokuu"),
        ("kesä", "kesäkuu"),
        ("heinä", "heinäkuu"),
        ("elo", "elokuu"),
        ("syys", "syyskuu"),
        ("loka", "lokakuu"),
        ("marras", "marraskuu"),
        ("joulu", "joulukuu"),
    ),
    # pl: glibc pl_PL
    "pl": (
        ("sty", "stycznia", "styczeń"),
        ("lut", "lutego", "luty"),
        ("mar", "marca", "marzec"),
        ("kwi", "kwietnia", "kwiecień"),
        ("maj", "maja"),
        ("cze", "czerwca", "czerwiec"),
        ("lip", "lipca", "lipiec"),
        ("sie", "sierpnia", "sierpień"),
        ("wrz", "września", "wrzesień"),
        ("paź", "października", "październik"),
        ("lis", "listopada", "listopad"),
        ("gru", "grudnia", "grudzień"),
    ),
    # cs: glibc cs_CZ
    "cs": (
        ("led", "ledna", "leden"),
        ("úno", "února", "únor"),
        ("bře", "března", "březen"),
        ("dub", "dubna", "duben"),
        ("kvě", "května", "květen"),
        ("čen", "června", "červen"),
        ("čec", "července", "červenec"),
        ("srp", "srpna", "srpen"),
        ("zář", "září"),
        ("říj", "října", "říjen"),
        ("lis", "listopadu", "listopad"),
        ("pro", "prosince", "prosinec"),
    ),
    # hu: glibc hu_HU
    "hu": (
        ("jan", "január"),
        ("febr", "február"),
        ("márc", "március"),
        ("ápr", "április"),
        ("máj", "május"),
        ("jún", "június"),
        ("júl", "július"),
        ("aug", "augusztus"),
        ("szept", "szeptember"),
        ("okt", "október"),
        ("nov", "november"),
        ("dec", "december"),
    ),
    # ru: glibc ru_RU
    "ru": (
        ("янв", "января", "Январь"),
        ("фев", "февраля", "Февраль"),
        ("мар", "марта", "Март"),
        ("апр", "апреля", "Апрель"),
        ("мая", "май", "Май"),
        ("июн", "июня", "Июнь"),
        ("июл", "июля", "Июль"),
        ("авг", "августа", "Август"),
        ("сен", "сентября", "Сентябрь"),
        ("окт", "октября", "Октябрь"),
        ("ноя", "ноября", "Ноябрь"),
        ("дек", "декабря", "Декабрь"),
    ),
    # uk: glibc uk_UA
    "uk": (
        ("січ", "січня", "січень"),
        ("лют", "лютого", "лютий"),
        ("бер", "березня", "березень"),
        ("кві", "квітня", "квітень"),
        ("тра", "травня", "травень"),
        ("чер", "червня", "червень"),
        ("лип", "липня", "липень"),
        ("сер", "серпня", "серпень"),
        ("вер", "вересня", "вересень"),
        ("жов", "жовтня", "жовтень"),
        ("лис", "листопада", "листопад"),
        ("гру", "грудня", "грудень"),
    ),
    # el: glibc el_GR
    "el": (
        ("Ιαν", "Ιανουαρίου", "Ιανουάριος"),
        ("Φεβ", "Φεβρουαρίου", "Φεβρουάριος"),
        ("Μαρ", "Μάρ", "Μαρτίου", "Μάρτιος"),
        ("Απρ", "Απριλίου", "Απρίλιος"),
        ("Μαΐ", "Μάι", "Μαΐου", "Μάιος"),
        ("Ιουν", "Ιούν", "Ιουνίου", "Ιούνιος"),
        ("Ιουλ", "Ιούλ", "Ιουλίου", "Ιούλιος"),
        ("Αυγ", "Αύγ", "Αυγούστου", "Αύγουστος"),
        ("Σεπ", "Σεπτεμβρίου", "Σεπτέμβριος"),
        ("Οκτ", "Οκτωβρίου", "Οκτώβριος"),
        ("Νοε", "Νοέ", "Νοεμβρίου", "Νοέμβριος"),
        ("Δεκ", "Δεκεμβρίου", "Δεκέμβριος"),
    ),
    # tr: glibc tr_TR
    "tr": (
        ("Oca", "Ocak"),
        ("Şub", "Şubat"),
        ("Mar", "Mart"),
        ("Nis", "Nisan"),
        ("May", "Mayıs"),
        ("Haz", "Haziran"),
        ("Tem", "Temmuz"),
        ("Ağu", "Ağustos"),
        ("Eyl", "Eylül"),
        ("Eki", "Ekim"),
        ("Kas", "Kasım"),
        ("Ara", "Aralık"),
    ),
    # ja: glibc ja_JP
    "ja": (
        ("1月",),
        ("2月",),
        ("3月",),
        ("4月",),
        ("5月",),
        ("6月",),
        ("7月",),
        ("8月",),
        ("9月",),
        ("10月",),
        ("11月",),
        ("12月",),
    ),
    # zh: glibc zh_CN
    "zh": (
        ("1月", "一月"),
        ("2月", "二月"),
        ("3月", "三月"),
        ("4月", "四月"),
        ("5月", "五月"),
        ("6月", "六月"),
        ("7月", "七月"),
        ("8月", "八月"),
        ("9月", "九月"),
        ("10月", "十月"),
        ("11月", "十一月"),
        ("12月", "十二月"),
    ),
    # zh-Hant: glibc zh_TW
    "zh-Hant": (
        ("1月", "一月"),
        ("2月", "二月"),
        ("3月", "三月"),
        ("4月", "四月"),
        ("5月", "五月"),
        ("6月", "六月"),
        ("7月", "七月"),
        ("8月", "八月"),
        ("9月", "九月"),
        ("10月", "十月"),
        ("11月", "十一月"),
        ("12月", "十二月"),
    ),
    # ko: glibc ko_KR
    "ko": (
        ("1월",),
        ("2월",),
        ("3월",),
        ("4월",),
        ("5월",),
        ("6월",),
        ("7월",),
        ("8월",),
        ("9월",),
        ("10월",),
        ("11월",),
        ("12월",),
    ),
    # th: glibc th_TH
    "th": (
        ("ม.ค.", "มกราคม"),
        ("ก.พ.", "กุมภาพันธ์"),
        ("มี.ค.", "มีนาคม"),
        ("เม.ย.", "เมษายน"),
        ("พ.ค.", "พฤษภาคม"),
        ("มิ.ย.", "มิถุนายน"),
        ("ก.ค.", "กรกฎาคม"),
        ("ส.ค.", "สิงหาคม"),
        ("ก.ย.", "กันยายน"),
        ("ต.ค.", "ตุลาคม"),
        ("พ.ย.", "พฤศจิกายน"),
        ("ธ.ค.", "ธันวาคม"),
    ),
    # id: glibc id_ID
    "id": (
        ("Jan", "Januari"),
        ("Feb", "Februari"),
        ("Mar", "Maret"),
        ("Apr", "April"),
        ("Mei",),
        ("Jun", "Juni"),
        ("Jul", "Juli"),
        ("Agu", "Agustus"),
        ("Sep", "September"),
        ("Okt", "Oktober"),
        ("Nov", "November"),
        ("Des", "Desember"),
    ),
    # sk: glibc sk_SK
    "sk": (
        ("jan", "január"),
        ("feb", "február"),
        ("mar", "marec"),
        ("apr", "apríl"),
        ("máj",),
        ("jún",),
        ("júl",),
        ("aug", "august"),
        ("sep", "september"),
        ("okt", "október"),
        ("nov", "november"),
        ("dec", "december"),
    ),
    # hr: glibc hr_HR
    "hr": (
        ("sij", "siječnja", "siječanj"),
        ("velj", "veljače", "veljača"),
        ("ožu", "ožujka", "ožujak"),
        ("tra", "travnja", "travanj"),
        ("svi", "svibnja", "svibanj"),
        ("lip", "lipnja", "lipanj"),
        ("srp", "srpnja", "srpanj"),
        ("kol", "kolovoza", "kolovoz"),
        ("ruj", "rujna", "rujan"),
        ("lis", "listopada", "listopad"),
        ("stu", "studenoga", "studeni"),
        ("pro", "prosinca", "prosinac"),
    ),
    # sl: glibc sl_SI
    "sl": (
        ("jan", "januar"),
        ("feb", "februar"),
        ("mar", "marec"),
        ("apr", "april"),
        ("maj",),
        ("jun", "junij"),
        ("jul", "julij"),
        ("avg", "avgust"),
        ("sep", "september"),
        ("okt", "oktober"),
        ("nov", "november"),
        ("dec", "december"),
    ),
    # ro: glibc ro_RO
    "ro": (
        ("ian", "ianuarie"),
        ("feb", "februarie"),
        ("mar", "martie"),
        ("apr", "aprilie"),
        ("mai",),
        ("iun", "iunie"),
        ("iul", "iulie"),
        ("aug", "august"),
        ("sep", "septembrie"),
        ("oct", "octombrie"),
        ("nov", "noiembrie"),
        ("dec", "decembrie"),
    ),
    # bg: glibc bg_BG
    "bg": (
        ("яну", "януари"),
        ("фев", "февруари"),
        ("мар", "март"),
        ("апр", "април"),
        ("май",),
        ("юни",),
        ("юли",),
        ("авг", "август"),
        ("сеп", "септември"),
        ("окт", "октомври"),
        ("ное", "ноември"),
        ("дек", "декември"),
    ),
}

WEEKDAYS: dict[str, tuple[tuple[str, ...], ...]] = {
    # en: glibc en_US abday/day, rotated to Monday first
    "en": (
        ("Mon", "Monday"),
        ("Tue", "Tuesday"),
        ("Wed", "Wednesday"),
        ("Thu", "Thursday"),
        ("Fri", "Friday"),
        ("Sat", "Saturday"),
        ("Sun", "Sunday"),
    ),
    # de: glibc de_DE abday/day, rotated to Monday first
    "de": (
        ("Mo", "Montag"),
        ("Di", "Dienstag"),
        ("Mi", "Mittwoch"),
        ("Do", "Donnerstag"),
        ("Fr", "Freitag"),
        ("Sa", "Samstag"),
        ("So", "Sonntag"),
    ),
    # fr: glibc fr_FR abday/day, rotated to Monday first
    "fr": (
        ("lun.", "lundi"),
        ("mar.", "mardi"),
        ("mer.", "mercredi"),
        ("jeu.", "jeudi"),
        ("ven.", "vendredi"),
        ("sam.", "samedi"),
        ("dim.", "dimanche"),
    ),
    # es: glibc es_ES abday/day, rotated to Monday first
    "es": (
        ("lun", "lunes"),
        ("mar", "martes"),
        ("mié", "miércoles"),
        ("jue", "jueves"),
        ("vie", "viernes"),
        ("sáb", "sábado"),
        ("dom", "domingo"),
    ),
    # it: glibc it_IT abday/day, rotated to Monday first
    "it": (
        ("lun", "lunedì"),
        ("mar", "martedì"),
        ("mer", "mercoledì"),
        ("gio", "giovedì"),
        ("ven", "venerdì"),
        ("sab", "sabato"),
        ("dom", "domenica"),
    ),
    # nl: glibc nl_NL abday/day, rotated to Monday first
    "nl": (
        ("ma", "maandag"),
        ("di", "dinsdag"),
        ("wo", "woensdag"),
        ("do", "donderdag"),
        ("vr", "vrijdag"),
        ("za", "zaterdag"),
        ("zo", "zondag"),
    ),
    # pt: glibc pt_PT abday/day, rotated to Monday first
    "pt": (
        ("seg", "segunda"),
        ("ter", "terça"),
        ("qua", "quarta"),
        ("qui", "quinta"),
        ("sex", "sexta"),
        ("sáb", "sábado"),
        ("dom", "domingo"),
    ),
    # da: glibc da_DK abday/day, rotated to Monday first
    "da": (
        ("man", "mandag"),
        ("tir", "tirsdag"),
        ("ons", "onsdag"),
        ("tor", "torsdag"),
        ("fre", "fredag"),
        ("lør", "lørdag"),
        ("søn", "søndag"),
    ),
    # sv: glibc sv_SE abday/day, rotated to Monday first
    "sv": (
        ("mån", "måndag"),
        ("tis", "tisdag"),
        ("ons", "onsdag"),
        ("tor", "torsdag"),
        ("fre", "fredag"),
        ("lör", "lördag"),
        ("sön", "söndag"),
    ),
    # nb: glibc nb_NO abday/day, rotated to Monday first
    "nb": (
        ("ma.", "mandag"),
        ("ti.", "tirsdag"),
        ("on.", "onsdag"),
        ("to.", "torsdag"),
        ("fr.", "fredag"),
        ("lø.", "lørdag"),
        ("sø.", "søndag"),
    ),
    # fi: glibc fi_FI abday/day, rotated to Monday first
    "fi": (
        ("ma", "maanantai"),
        ("ti", "tiistai"),
        ("ke", "keskiviikko"),
        ("to", "torstai"),
        ("pe", "perjantai"),
        ("la", "lauantai"),
        ("su", "sunnuntai"),
    ),
    # pl: glibc pl_PL abday/day, rotated to Monday first
    "pl": (
        ("pon", "poniedziałek"),
        ("wto", "wtorek"),
        ("śro", "środa"),
        ("czw", "czwartek"),
        ("pią", "piątek"),
        ("sob", "sobota"),
        ("nie", "niedziela"),
    ),
    # cs: glibc cs_CZ abday/day, rotated to Monday first
    "cs": (
        ("Po", "Pondělí"),
        ("Út", "Úterý"),
        ("St", "Středa"),
        ("Čt", "Čtvrtek"),
        ("Pá", "Pátek"),
        ("So", "Sobota"),
        ("Ne", "Neděle"),
    ),
    # hu: glibc hu_HU abday/day, rotated to Monday first
    "hu": (
        ("h", "hétfő"),
        ("k", "kedd"),
        ("sze", "szerda"),
        ("cs", "csütörtök"),
        ("p", "péntek"),
        ("szo", "szombat"),
        ("v", "vasárnap"),
    ),
    # ru: glibc ru_RU abday/day, rotated to Monday first
    "ru": (
        ("Пн", "Понедельник"),
        ("Вт", "Вторник"),
        ("Ср", "Среда"),
        ("Чт", "Четверг"),
        ("Пт", "Пятница"),
        ("Сб", "Суббота"),
        ("Вс", "Воскресенье"),
    ),
    # uk: glibc uk_UA abday/day, rotated to Monday first
    "uk": (
        ("пн", "понеділок"),
        ("вт", "вівторок"),
        ("ср", "середа"),
        ("чт", "четвер"),
        ("пт", "п'ятниця"),
        ("сб", "субота"),
        ("нд", "неділя"),
    ),
    # el: glibc el_GR abday/day, rotated to Monday first
    "el": (
        ("Δευ", "Δευτέρα"),
        ("Τρι", "Τρίτη"),
        ("Τετ", "Τετάρτη"),
        ("Πεμ", "Πέμπτη"),
        ("Παρ", "Παρασκευή"),
        ("Σαβ", "Σάββατο"),
        ("Κυρ", "Κυριακή"),
    ),
    # tr: glibc tr_TR abday/day, rotated to Monday first
    "tr": (
        ("Pzt", "Pazartesi"),
        ("Sal", "Salı"),
        ("Çrş", "Çarşamba"),
        ("Prş", "Perşembe"),
        ("Cum", "Cuma"),
        ("Cts", "Cumartesi"),
        ("Paz", "Pazar"),
    ),
    # ja: glibc ja_JP abday/day, rotated to Monday first
    "ja": (
        ("月", "月曜日"),
        ("火", "火曜日"),
        ("水", "水曜日"),
        ("木", "木曜日"),
        ("金", "金曜日"),
        ("土", "土曜日"),
        ("日", "日曜日"),
    ),
    # zh: glibc zh_CN abday/day, rotated to Monday first
    "zh": (
        ("一", "星期一"),
        ("二", "星期二"),
        ("三", "星期三"),
        ("四", "星期四"),
        ("五", "星期五"),
        ("六", "星期六"),
        ("日", "星期日"),
    ),
    # zh-Hant: glibc zh_TW abday/day, rotated to Monday first
    "zh-Hant": (
        ("一", "週一"),
        ("二", "週二"),
        ("三", "週三"),
        ("四", "週四"),
        ("五", "週五"),
        ("六", "週六"),
        ("日", "週日"),
    ),
    # ko: glibc ko_KR abday/day, rotated to Monday first
    "ko": (
        ("월", "월요일"),
        ("화", "화요일"),
        ("수", "수요일"),
        ("목", "목요일"),
        ("금", "금요일"),
        ("토", "토요일"),
        ("일", "일요일"),
    ),
    # th: glibc th_TH abday/day, rotated to Monday first
    "th": (
        ("จ.", "จันทร์"),
        ("อ.", "อังคาร"),
        ("พ.", "พุธ"),
        ("พฤ.", "พฤหัสบดี"),
        ("ศ.", "ศุกร์"),
        ("ส.", "เสาร์"),
        ("อา.", "อาทิตย์"),
    ),
    # id: glibc id_ID abday/day, rotated to Monday first
    "id": (
        ("Sen", "Senin"),
        ("Sel", "Selasa"),
        ("Rab", "Rabu"),
        ("Kam", "Kamis"),
        ("Jum", "Jumat"),
        ("Sab", "Sabtu"),
        ("Min", "Minggu"),
    ),
    # sk: glibc sk_SK abday/day, rotated to Monday first
    "sk": (
        ("Po", "Pondelok"),
        ("Ut", "Utorok"),
        ("St", "Streda"),
        ("Št", "Štvrtok"),
        ("Pi", "Piatok"),
        ("So", "Sobota"),
        ("Ne", "Nedeľa"),
    ),
    # hr: glibc hr_HR abday/day, rotated to Monday first
    "hr": (
        ("pon", "ponedjeljak"),
        ("uto", "utorak"),
        ("sri", "srijeda"),
        ("čet", "četvrtak"),
        ("pet", "petak"),
        ("sub", "subota"),
        ("ned", "nedjelja"),
    ),
    # sl: glibc sl_SI abday/day, rotated to Monday first
    "sl": (
        ("pon", "ponedeljek"),
        ("tor", "torek"),
        ("sre", "sreda"),
        ("čet", "četrtek"),
        ("pet", "petek"),
        ("sob", "sobota"),
        ("ned", "nedelja"),
    ),
    # ro: glibc ro_RO abday/day, rotated to Monday first
    "ro": (
        ("Lu", "luni"),
        ("Ma", "marți"),
        ("Mi", "miercuri"),
        ("Jo", "joi"),
        ("Vi", "vineri"),
        ("Sb", "sâmbătă"),
        ("Du", "duminică"),
    ),
    # bg: glibc bg_BG abday/day, rotated to Monday first
    "bg": (
        ("пн", "понеделник"),
        ("вт", "вторник"),
        ("ср", "сряда"),
        ("чт", "четвъртък"),
        ("пт", "петък"),
        ("сб", "събота"),
        ("нд", "неделя"),
    ),
}

#: language code -> canonical column -> Strava activities.csv header spellings
STRAVA_HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    # en: 2018 lowercase layout (export of 2019-06-24: id,date,name,type,description,
    # elapsed_time,distance,commute,gear,filename; distance in metres, date ISO) and the
    # 2019 short layout (Activity ID,...,Filename; distance in km), both quoted from real
    # exports in hugovk/strava-tools PR #1 and #2; long layout: real exports
    # GKonstantopoulos/running-performance-analysis data/activities.csv@5416ed78 (2026,
    # 103 columns) and geo-activity-playground testdata (2024). The long layout repeats
    # "Elapsed Time", "Distance" (display unit, then metres), "Max Heart Rate",
    # "Relative Effort" and "Commute". "Sport Type" only from loadwatch's own reader
    # (unverified: not seen in a public export).
    "en": {
        "activity_id": ("Activity ID", "id"),
        "activity_date": ("Activity Date", "date"),
        "activity_name": ("Activity Name", "name"),
        "activity_type": ("Activity Type", "type"),
        "elapsed_time": ("Elapsed Time", "elapsed_time"),
        "distance": ("Distance", "distance"),
        "moving_time": ("Moving Time",),
        "elevation_gain": ("Elevation Gain",),
        "average_cadence": ("Average Cadence",),
        "activity_gear": ("Activity Gear", "gear"),
        "filename": ("Filename", "filename"),
        "sport_type": ("Sport Type",),
    },
    # de: martin-ueding/geo-activity-playground strava-csv-columns/mapping.ods and
    # features/strava/strava-csv-mapping.json@efc6dca6 (English|German table of a real
    # export), German header lines in its issues #191, #348, #393. Activity Date is
    # "09.12.2022, 15:24:49" and the first Distance has a decimal comma ("9,44").
    "de": {
        "activity_id": ("Aktivitäts-ID",),
        "activity_date": ("Aktivitätsdatum",),
        "activity_name": ("Name der Aktivität",),
        "activity_type": ("Aktivitätsart",),
        "elapsed_time": ("Verstrichene Zeit",),
        "distance": ("Distanz",),
        "moving_time": ("Bewegungszeit",),
        "elevation_gain": ("Höhenzunahme",),
        "average_cadence": ("Durchschnittliche Trittfrequenz",),
        "activity_gear": ("Aktivitätsausrüstung",),
        "filename": ("Dateiname",),
        "sport_type": (),
    },
    # fr: header of a test that names a real export (find_string 54587540859,
    # data/raw/strava/export_151936996/activities.csv); its first 21 columns only.
    "fr": {
        "activity_id": ("ID de l'activité",),
        "activity_date": ("Date de l'activité",),
        "activity_name": ("Nom de l'activité",),
        "activity_type": ("Type d'activité",),
        "elapsed_time": ("Temps écoulé",),
        "distance": ("Distance",),
        "moving_time": ("Durée de déplacement",),
        "elevation_gain": ("Dénivelé positif",),
        "average_cadence": (),
        "activity_gear": ("Matériel utilisé pour l'activité",),
        "filename": ("Nom du fichier",),
        "sport_type": (),
    },
    # nl: real export CasperHogenboom/Strave_regression data/activities.csv@4e4db2c2
    # (2019-2020 layout, 72 columns, dates "23 jun. 2017 15:52:12" without a comma);
    # "Totale stijging" from a spec describing a 2026 export (find_string 56620169586).
    "nl": {
        "activity_id": ("Activiteits-ID",),
        "activity_date": ("Datum van activiteit",),
        "activity_name": ("Naam activiteit",),
        "activity_type": ("Activiteitstype",),
        "elapsed_time": ("Verstreken tijd",),
        "distance": ("Afstand",),
        "moving_time": ("Beweegtijd",),
        "elevation_gain": ("Hoogteverschil", "Totale stijging"),
        "average_cadence": ("Gemiddelde cadans",),
        "activity_gear": ("Uitrusting voor activiteit",),
        "filename": ("Bestandsnaam",),
        "sport_type": (),
    },
    # unverified: no Strava header found for es, it, pt, ja or any other language.
}

#: language code -> localized Strava activity-type word -> canonical type key
STRAVA_TYPES: dict[str, dict[str, str]] = {
    # en: real exports above ("Run", "Ride" in hugovk/strava-tools, "Weight Training" in
    # GKonstantopoulos).
    "en": {
        "Run": "running",
        "Ride": "cycling",
        "Weight Training": "strength_training",
        # Strava's ActivityType and SportType enums (API reference, as mirrored by
        # strava-api-client 1.4.0 enums/sport-type.enum.js and strava-data's
        # activity_type.rs); the export writes them as words ("Trail Run").
        "Trail Run": "trail_running",
        "Virtual Run": "virtual_run",
        "Walk": "walking",
        "Hike": "hiking",
        "Swim": "swimming",
        "Virtual Ride": "cycling",
        "E-Bike Ride": "cycling",
        "Mountain Bike Ride": "mountain_biking",
        "E-Mountain Bike Ride": "mountain_biking",
        "Gravel Ride": "gravel_cycling",
        "Rowing": "rowing",
        "Elliptical": "elliptical",
        "Stair-Stepper": "cardio",
        "Workout": "other",
        "Yoga": "yoga",
        "Crossfit": "strength_training",
        "High Intensity Interval Training": "cardio",
        "Pilates": "other",
        "Alpine Ski": "other",
        "Backcountry Ski": "other",
        "Nordic Ski": "other",
        "Snowboard": "other",
        "Snowshoe": "other",
        "Ice Skate": "other",
        "Inline Skate": "other",
        "Roller Ski": "other",
        "Canoeing": "other",
        "Kayaking": "other",
        "Kitesurf": "other",
        "Windsurf": "other",
        "Surfing": "other",
        "Stand Up Paddling": "other",
        "Sail": "other",
        "Golf": "other",
        "Soccer": "other",
        "Tennis": "other",
        "Badminton": "other",
        "Pickleball": "other",
        "Racquetball": "other",
        "Squash": "other",
        "Table Tennis": "other",
        "Rock Climbing": "other",
        "Skateboard": "other",
        "Handcycle": "other",
        "Velomobile": "other",
        "Wheelchair": "other",
    },
    # de: "Radfahrt" in a real row (geo-activity-playground issue #86); "Lauf" in a
    # Kotlin test row (find_string 69606548131).
    "de": {
        "Radfahrt": "cycling",
        "Lauf": "running",
        # a normaliser of German Strava exports (find_string 60722446702, parser code)
        "Virtuelle Radfahrt": "cycling",
        "Schwimmen": "swimming",
        "Wandern": "hiking",
        "Spaziergang": "walking",
        "Gewichtstraining": "strength_training",
        "Yoga": "yoga",
        "Training": "other",
        # Strava's German bike types in another program (find_string 69410831007)
        "Schotterfahrt": "gravel_cycling",
        "E-Bike-Radfahrt": "cycling",
        "Mountainbike-Fahrt": "mountain_biking",
    },
    # fr: "Course à pied" asserted against a real export (find_string 67632132253);
    # "Vélo", "Natation", "Marche" only in hand-written test rows.
    "fr": {
        "Course à pied": "running",
        # unverified: test rows only
        "Vélo": "cycling",
        # unverified: test rows only
        "Natation": "swimming",
        # unverified: test rows only
        "Marche": "walking",
    },
    # nl: real export CasperHogenboom/Strave_regression.
    "nl": {
        "Hardloopsessie": "running",
        "Fietsrit": "cycling",
    },
}
