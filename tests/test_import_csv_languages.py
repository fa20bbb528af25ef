"""Garmin and Strava activity lists in every account language and layout.

Header lines are the real ones (their sources are named beside each, and in
docs/export-vocabulary.md); the rows are written here in each account's date and
number formats, with the expected values worked out beside them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from loadwatch.errors import UnsupportedFormatError
from loadwatch.ingest.importers import ParseContext
from loadwatch.ingest.importers.csv_cells import header_key
from loadwatch.ingest.importers.csv_dates import DateReader
from loadwatch.ingest.importers.csv_vocabulary import GARMIN_HEADERS, STRAVA_HEADERS
from loadwatch.ingest.importers.csvlog import parse
from loadwatch.model import ParsedFile, Sport, Surface
from loadwatch.units import Units

MILE = 1609.344

# kkuklewski/sport_tracker Activities.csv@48d33cdb (2026)
GARMIN_EN = (
    "Activity Type,Date,Favorite,Title,Distance,Calories,Time,Avg HR,Max HR,Aerobic TE,"
    "Avg Bike Cadence,Max Bike Cadence,Avg Speed,Max Speed,Total Ascent,Total Descent,"
    "Avg Stride Length,Avg GAP,Normalized Power® (NP®),Training Stress Score®,Avg Power,"
    "Max Power,Steps,Decompression,Best Lap Time,Number of Laps,Avg Resp,Min Resp,Max Resp,"
    "Moving Time,Elapsed Time,Min Elevation,Max Elevation"
)
# REGmon is_Garmin_CSV_file, a 2017 German export (export-vocabulary.md)
GARMIN_DE = (
    "Aktivitätstyp,Datum,Favorit,Titel,Distanz,Kalorien,Zeit,Ø HF,Max. HF,Aerober TE,"
    "Ø Schrittfrequenz (Laufen),Max. Schrittfrequenz (Laufen),Ø Geschwindigkeit,"
    "Maximale Geschwindigkeit,Positiver Höhenunterschied,Negativer Höhenunterschied,"
    "Ø Schrittlänge,Durchschnittliches vertikales Verhältnis,Ø vertikale Bewegung,"
    "Ø Bodenkontaktzeit,Durchschnittliche Balance der Bodenkontaktzeit,"
    "Training Stress Score®,Grit,Flow,Grundzeit,Min. Temp.,Oberflächenpause,Dekompression,"
    "Beste Rundenzeit,Max. Temp."
)
# a French export header (scripts/reset.py, export-vocabulary.md)
GARMIN_FR = (
    "Type d'activité,Date,Favori,Titre,Distance,Calories,Durée,Fréquence cardiaque moyenne,"
    "Fréquence cardiaque maximale,TE aérobie,Cadence de course moyenne,"
    "Cadence de course maximale,Allure moyenne,Meilleure allure,Ascension totale,"
    "Descente totale,Longueur moyenne des foulées,Rapport vertical moyen,"
    "Oscillation verticale moyenne,Temps de contact moyen avec le sol,GAP moyenne,"
    "Normalized Power® (NP®),Training Stress Score® (TSS®),Puissance moyenne,Puissance max.,"
    "Pas,Consommation du Body Battery,Décompression,Temps du meilleur circuit,"
    "Nombre de tours,Stress moyen,Stress maximal,Temps de déplacement,Temps écoulé,"
    "Altitude minimale,Altitude maximale"
)
# asierrodri/EDA-Running Activities.csv@76f73005 (2025)
GARMIN_ES = (
    "Tipo de actividad,Fecha,Favorito,Título,Distancia,Calorías,Tiempo,"
    "Frecuencia cardiaca media,FC máxima,TE aeróbico,Cadencia de carrera media,"
    "Cadencia de carrera máxima,Ritmo medio,Ritmo óptimo,Ascenso total,Descenso total,"
    "Longitud media de zancada,GAP medio,Normalized Power® (NP®),Training Stress Score®,"
    "Potencia media,Potencia máxima,Pasos,Repeticiones totales,Series totales,Descompresión,"
    "Mejor tiempo de vuelta,Número de vueltas,Tiempo en movimiento,Tiempo transcurrido,"
    "Altura mínima,Altura máxima"
)
# the Italian layout (export-vocabulary.md)
GARMIN_IT = (
    "Tipo di attività,Data,Preferita,Titolo,Distanza,Calorie,Tempo,FC Media,FC max,"
    "TE attività aerobica,Cadenza di corsa media,Cadenza di corsa max,Passo medio,"
    "Passo migliore,Ascesa totale,Discesa totale,Lunghezza media passo,"
    "Rapporto verticale medio,Oscillazione verticale media,"
    "Tempo medio di contatto con il suolo,Training Stress Score®,Potenza media,Potenza max,"
    "Grit,Flow,Swolf medio,Frequenza media vogate,Ripetizioni totali,Tempo di immersione,"
    "Temperatura min,Intervallo di superficie,Decompressione,Tempo Lap migliore,"
    "Numero di Lap,Temperatura max,Tempo in movimento,Tempo trascorso,Quota minima,"
    "Quota massima"
)
# RGazzaneo/projeto_garmin Activities.csv@facbfa52 (2021)
GARMIN_PT = (
    "Tipo de atividade,Data,Favorito,Título,Distância,Calorias,Tempo,FC Média,FC máxima,"
    "Training Effect Aeróbico,Velocidade média,Velocidade máxima,Subida total,Descida total,"
    "Comprimento médio da passada,Proporção de média vertical,Oscilação vertical média,"
    "Cadência bicicleta média,Cadência de bicicleta máxima,Normalized Power® (NP®),"
    "Equilíbrio E/D,Training Stress Score®,Máximo de potência média (20 minutos),"
    "Potência média,Energia máxima,Granularidade,Fluxo,Total de braçadas,Tempo de mergulho,"
    "Temp mínima,Intervalo de superfície,Descompressão,Tempo da melhor volta,"
    "Número de voltas,Temp máxima,Resposta média,Resposta mínima,Resposta máxima,"
    "Tempo em movimento,Duração,Elevação mínima,Elevação máxima,Ritmo médio,Melhor ritmo,"
    "Média de Swolf,Taxa média de braçadas,Cadência de corrida média,"
    "Cadência de corrida máxima,Tempo médio de contato com o solo,Equilíbrio de GCT médio"
)
# Bjarke848/AI_TrainingPlanner Activities.csv@84a5fe31 (2025)
GARMIN_DA = (
    "Aktivitetstype,Dato,Favorit,Titel,Distance,Kalorier,Tid,Gennemsnitlig puls,Maks. puls,"
    "Aerob TE,Gennemsnitlig svømmekadence,Maksimum svømmekadence,Gennemsnitstempo,"
    "Bedste tempo,Samlet stigning,Samlet nedstigning,Gennemsnitlig skridtlængde,"
    "Gennemsnitligt vertikalt forhold,Gennemsnitligt vertikalt udsving,"
    "Gennemsnitlig kontakt med jorden,Gennemsnitlig GCT-balance,Gennemsnitlig NJT,"
    "Normalized Power® (NP®),Training Stress Score®,Gennemsnitlig effekt,Maksimal effekt,"
    "Samlet antal svømmetag,Gennemsnitlig swolf,Gennemsnitlig hastighed for tag,Skridt,"
    "Samlet antal sæt,Afladning af Body Battery,Minimum temperatur,Dekompression,"
    "Tid for bedste omgang,Antal omgange,Maksimum temperatur,Gns. antal åndedrag,"
    "Min. antal åndedrag,Maks. antal åndedrag,Tid i bevægelse,Tidsforbrug,Minimum højde,"
    "Maksimal højde"
)
# markuspettersen1/utafor Activities.csv@49153ba5 (2026)
GARMIN_NB = (
    "Aktivitetstype,Dato,Favoritt,Tittel,Distanse,Totale kalorier,Tid,Gjennomsnittlig puls,"
    "Makspuls,Aerob treningseffekt,Gjennomsnittlig frekvens for løping,"
    "Maksimal frekvens for løping,Gjennomsnittlig tempo,Beste tempo,Total stigning,"
    "Totalt fall,Gjennomsnittlig skrittlengde,Gjennomsnittlig vertikalt forholdstall,"
    "Gjennomsnittlig vertikal oscillasjon,Gjennomsnittlig tid med bakkekontakt,"
    "Gj.sn. TMB-balanse,Training Stress Score®,Totalt antall tak,Gjennomsnittlig Swolf,"
    "Gjennomsnittlig tempo for tak,Skritt,Dekompresjon,Beste rundetid,Antall runder,"
    "Tid i bevegelse,Medgått tid,Minste høyde,Maksimal høyde"
)
# IsakJacobsson/garmin-extended-data Activities.csv@079d4fb0 (2024)
GARMIN_SV = (
    "Aktivitetstyp,Datum,Favorit,Namn,Distans,Kalorier,Tid,Medelpuls,Maxpuls,"
    "Medelcykelkadens,Maximal cykelkadens,Medelfart,Maxfart,Total stigning,Totalt nedför,"
    "Medelsteglängd,Training Stress Score®,Totalt antal årtag,Medel-Swolf,Medelårtagstempo,"
    "Dekompression,Bästa varvtid,Antal varv,Genomsnittlig andning,Minsta andningshastighet,"
    "Maximal andningshastighet,Stressändring,Start för stress,Slut för stress,Medestress,"
    "Maxbelastning,Färdtid,Total tid,Min. höjd,Max. höjd"
)
# dbonkowska/Bloom garmin-sample.csv@5e0e9d8a (2026)
GARMIN_PL = (
    "Typ aktywności,Data,Ulubiony,Tytuł,Dystans,Suma kalorii,Czas,Średnie tętno,"
    "Maksymalne tętno,Średnia kadencja,Maksymalna kadencja,Średnie tempo,Najlepsze tempo,"
    "Całkowity wznios,Całkowity spadek,Średnia długość kroku,Training Stress Score® (TSS®),"
    "Łącznie ruchów,Średni Swolf,Średnie tempo ruchów,Kroki,Razem serii,Utrata Body Battery,"
    "Dekompresja,Czas najlepszego okrążenia,Liczba okrążeń,Średnia częstotliwość oddechu,"
    "Minimalna częstotliwość oddechu,Maksymalna częstotliwość oddechu,Zmiana poziomu stresu,"
    "Początek stresu,Koniec stresu,Śr. Stres,Maksymalny poziom stresu,Czas ruchu,"
    "Upłynęło czasu,Minimalna wysokość,Maksymalna wysokość"
)
# lovajujo/sport-data Activities.csv@c1d7af2b (2024)
GARMIN_HU = (
    "Tevékenység típusa,Dátum,Kedvenc,Cím,Távolság,Kalóriaszám,Idő,Átlagos pulzusszám,"
    "Max. pulzus,Átl. pedálütem,Max. pedálütem,Átlagos tempó,Legjobb tempó,Teljes emelkedés,"
    "Teljes süllyedés,Átlagos lépéshossz,Átl. pedálütem,Max. pedálütem,"
    "Training Stress Score®,Teljes csapásszám,Lépések,Összes ismétlés,Összes szett,"
    "Dekompressziós,Legjobb köridő,Körök száma,Ált. légzés,Min. légzés,Max. légzés,"
    "Stresszadatok változása,Kezdő stressz,Befejező stressz,Átl. stressz,Max. stressz,"
    "Menetidő,Eltelt idő,Minimális magasság,Maximális magasság"
)
# healthyjun92/harness-news Activities.csv@70aea22a (2026)
GARMIN_KO = (
    "활동 종류,날짜,즐겨찾기,제목,거리,칼로리,시간,평균 심박,최대심박,"
    "유산소 훈련 효과,평균 수영 케이던스,최고 수영 케이던스,평균 페이스,최대 페이스,"
    "총 상승,총 하강,평균 보폭,평균 수직 비율,평균 수직 진동,평균 지면 접촉 시간,"
    "평균 GAP,평균 수영 케이던스,최고 수영 케이던스,Normalized Power® (NP®),"
    "Training Stress Score®,최대 평균파워(20분),평균 파워,최대 파워,총 스트로크,"
    "평균 Swolf,평균 스트로크 속도,걸음,총 반복 횟수,총 세트,바디 배터리 방전,"
    "최저 온도,감압,최고 랩 기록,랩 수,최고 온도,평균 응답,최소 응답,최대 응답,"
    "평균 스트레스,최대 스트레스,이동 시간,경과 시간,최저 해발,최고 해발"
)
# diarysync tests, copied from a real export
GARMIN_ZH = (
    "活动类型,日期,我的最爱,标题,距离,热量消耗,时间,平均心率,最大心率,有氧效果,"
    "平均步频,最高步频,平均速度,最佳配速,累计爬升,累计下降,平均步长,平均垂直步幅比,"
    "平均垂直摆动,平均触地时间,平均坡度调整配速,Normalized Power® (NP®),"
    "Training Stress Score®,平均功率,最大功率,步数,体能消耗,减压,最佳单圈时间,圈数,"
    "移动时间,全程耗时,最低海拔,最高海拔"
)
# CasperHogenboom/Strave_regression data/activities.csv@4e4db2c2 (~2019)
STRAVA_NL = (
    "Activiteits-ID,Datum van activiteit,Naam activiteit,Activiteitstype,"
    "Beschrijving van activiteit,Verstreken tijd,Afstand,Vergelijkbare poging,Forenzenrit,"
    "Uitrusting voor activiteit,Bestandsnaam,Gewicht sporter,Gewicht fiets,Verstreken tijd,"
    "Beweegtijd,Afstand,Max. snelheid,Gemiddelde snelheid,Hoogteverschil,Hoogteverlies,"
    "Kleinste hoogte,Grootste hoogte,Max. stijgingspercentage,Gemiddeld stijgingspercentage,"
    "Gemiddeld positief stijgingspercentage,Gemiddeld negatief stijgingspercentage,"
    "Gemiddelde cadans,Max. cadans,Max. hartslag,Gemiddelde hartslag,Maximaal wattage,"
    "Gemiddeld wattage,Calorieën,Maximale temperatuur,Gemiddelde temperatuur,"
    "Vergelijkbare poging,Totale arbeid,Aantal hardloopsessies,Tijd bergop,Tijd bergaf,"
    "Andere tijd,Ervaren inspanning,Gewogen gemiddeld vermogen,Aantal vermogensgegevens,"
    "Voorkeur voor ervaren inspanning,Ervaren vergelijkbare poging,Forenzenrit,"
    "Totaal geheven gewicht,Van upload,Aan stijgingspercentage aangepaste afstand,"
    "Tijd weerbeeld,Weersomstandigheden,Buitentemperatuur,Gevoelstemperatuur,Dauwpunt,"
    "Vochtigheid,Luchtdruk,Windsnelheid,Windstoot,Windrichting,Neerslagintensiteit,"
    "Tijd zonsopgang,Tijd zonsondergang,Maanstand,Fiets,Uitrusting,Kans op neerslag,"
    "Type neerslag,Bewolking,Zicht,UV-index,Ozonwaarde"
)
# geo-activity-playground testdata activities.csv (2024)
STRAVA_EN = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,"
    "Distance,Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,"
    "Filename,Athlete Weight,Bike Weight,Elapsed Time,Moving Time,Distance,Max Speed,"
    "Average Speed,Elevation Gain,Elevation Loss,Elevation Low,Elevation High,Max Grade,"
    "Average Grade,Average Positive Grade,Average Negative Grade,Max Cadence,Average Cadence,"
    "Max Heart Rate,Average Heart Rate,Max Watts,Average Watts,Calories,Max Temperature,"
    "Average Temperature,Relative Effort,Total Work,Number of Runs,Uphill Time,Downhill Time,"
    "Other Time,Perceived Exertion,Type,Start Time,Weighted Average Power,Power Count,"
    "Prefer Perceived Exertion,Perceived Relative Effort,Commute,Total Weight Lifted,"
    "From Upload,Grade Adjusted Distance,Weather Observation Time,Weather Condition,"
    "Weather Temperature,Apparent Temperature,Dewpoint,Humidity,Weather Pressure,Wind Speed,"
    "Wind Gust,Wind Bearing,Precipitation Intensity,Sunrise Time,Sunset Time,Moon Phase,Bike,"
    "Gear,Precipitation Probability,Precipitation Type,Cloud Cover,Weather Visibility,"
    "UV Index,Weather Ozone,Jump Count,Total Grit,Average Flow,Flagged,Average Elapsed Speed,"
    "Dirt Distance,Newly Explored Distance,Newly Explored Dirt Distance,Activity Count,"
    "Total Steps,Carbon Saved,Pool Length,Training Load,Intensity,"
    "Average Grade Adjusted Pace,Timer Time,Total Cycles,Media"
)
# the names garmin_import.py reads a Japanese export by ("平均歩幅" only from a test CSV)
GARMIN_JA = (
    "アクティビティタイプ,日付,タイトル,距離,カロリー,タイム,平均心拍数,最大心拍数,"
    "平均ピッチ,最高ピッチ,平均ペース,最高ペース,総上昇量,平均歩幅"
)
# Dutch: the columns of a loader of a real export, its "_" written back as ". " or " "
GARMIN_NL = (
    "Activiteittype,Datum,Favoriet,Titel,Afstand,Calorieën,Tijd,Gem. HS,Max. HS,"
    "Totale stijging,Gem. staplengte,Stappen,Tijd bewogen,Verstreken tijd"
)


def ctx(source: str = "Activities.csv", zone: str = "UTC", units: Units = Units.MI) -> ParseContext:
    return ParseContext(source=source, zone=ZoneInfo(zone), units=units)


def parse_text(
    text: str, zone: str = "UTC", units: Units = Units.MI, source: str = "Activities.csv"
) -> ParsedFile:
    return parse(text.encode("utf-8"), ctx(source, zone, units))


def row(header: str, values: dict[str, str]) -> str:
    """A data row for ``header``: the named cells as given, every other one ``--``."""
    names = next(csv.reader([header]))
    missing = set(values) - set(names)
    assert not missing, f"not in the header: {missing}"
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="").writerow(
        [values.get(name, "--") for name in names]
    )
    return out.getvalue()


def hms(h: int, m: int, s: int) -> float:
    return h * 3600.0 + m * 60.0 + s


# ---------------------------------------------------------------- Garmin, per language
# Each case: header, the cells of one run in the account's formats, the zone, and what
# the run must come out as. The unit is proven by steps (or cadence) x stride, whose
# ratio to the distance is written out beside each case.


@dataclass(frozen=True)
class Case:
    header: str
    cells: dict[str, str]
    distance_m: float
    duration_s: float
    local: datetime
    sport: Sport = Sport.RUN
    surface: Surface = Surface.UNKNOWN
    zone: str = "UTC"


CASES = {
    # 4282 steps x 1.17 m / 5.04 = 994 m per unit: km; cadence in "Avg Bike Cadence"
    "en": Case(
        GARMIN_EN,
        {
            "Activity Type": "Running",
            "Date": "2026-08-02 15:03:05",
            "Title": "Dobra Running",
            "Distance": "5.04",
            "Time": "00:28:47",
            "Avg Bike Cadence": "150",
            "Avg Stride Length": "1.17",
            "Steps": "4,282",
            "Moving Time": "00:28:45",
            "Elapsed Time": "00:28:47",
        },
        5040.0,
        hms(0, 28, 47),
        datetime(2026, 8, 2, 15, 3, 5),
        zone="Europe/Warsaw",
    ),
    # 166 spm x 1.16 m x 52.17 min / 10.02 = 1003 m per unit: km
    "de": Case(
        GARMIN_DE,
        {
            "Aktivitätstyp": "Laufen",
            "Datum": "2017-04-22 13:12:32",
            "Titel": "Monschau Laufen",
            "Distanz": "10.02",
            "Zeit": "00:52:10",
            "Ø Schrittfrequenz (Laufen)": "166",
            "Ø Geschwindigkeit": "5:12",
            "Ø Schrittlänge": "1.16",
            "Positiver Höhenunterschied": "87",
        },
        10020.0,
        hms(0, 52, 10),
        datetime(2017, 4, 22, 13, 12, 32),
        zone="Europe/Berlin",
    ),
    # 4404 steps x 0.90 m / 3.95 = 1003 m per unit: km
    "fr": Case(
        GARMIN_FR,
        {
            "Type d'activité": "Course à pied",
            "Date": "2026-08-10 10:52:21",
            "Titre": "Sortie du matin",
            "Distance": "3.95",
            "Durée": "00:35:20",
            "Longueur moyenne des foulées": "0.90",
            "Pas": "4,404",
        },
        3950.0,
        hms(0, 35, 20),
        datetime(2026, 8, 10, 10, 52, 21),
        zone="Europe/Paris",
    ),
    # 8966 steps x 0.99 m / 8.78 = 1011 m per unit: km
    "es": Case(
        GARMIN_ES,
        {
            "Tipo de actividad": "Carrera",
            "Fecha": "2025-11-13 18:35:58",
            "Título": "Bilbao",
            "Distancia": "8.78",
            "Tiempo": "00:53:55",
            "Longitud media de zancada": "0.99",
            "Pasos": "8,966",
        },
        8780.0,
        hms(0, 53, 55),
        datetime(2025, 11, 13, 18, 35, 58),
        zone="Europe/Madrid",
    ),
    # 170 spm x 1.05 m x 50 min / 8.90 = 1003 m per unit: km
    "it": Case(
        GARMIN_IT,
        {
            "Tipo di attività": "Corsa",
            "Data": "2025-04-06 08:00:00",
            "Titolo": "Milano",
            "Distanza": "8.90",
            "Tempo": "00:50:00",
            "Cadenza di corsa media": "170",
            "Lunghezza media passo": "1.05",
        },
        8900.0,
        hms(0, 50, 0),
        datetime(2025, 4, 6, 8, 0),
        zone="Europe/Rome",
    ),
    # a ride-only Brazilian list: nothing tells the unit, the configured km is used
    "pt": Case(
        GARMIN_PT,
        {
            "Tipo de atividade": "Ciclismo em local fechado",
            "Data": "2021-10-05 10:04:44",
            "Título": "Ciclismo em local fechado",
            "Distância": "14.17",
            "Tempo": "01:00:08",
        },
        14170.0,
        hms(1, 0, 8),
        datetime(2021, 10, 5, 10, 4, 44),
        sport=Sport.RIDE,
        zone="America/Sao_Paulo",
    ),
    # Danish "Tid" is h:mm ("0:33" = 33 min), exact to the minute: the elapsed 32:34 within
    # it is the exact timer; 5308 steps x 1.15 m / 6.17 = 989: km
    "da": Case(
        GARMIN_DA,
        {
            "Aktivitetstype": "Løb",
            "Dato": "2025-10-31 15:51:00",
            "Titel": "Skanderborg Løb",
            "Distance": "6.17",
            "Tid": "0:33",
            "Gennemsnitlig svømmekadence": "165",
            "Gennemsnitlig skridtlængde": "1.15",
            "Skridt": "5,308",
            "Tid i bevægelse": "00:32:33",
            "Tidsforbrug": "00:32:34",
        },
        6170.0,
        hms(0, 32, 34),
        datetime(2025, 10, 31, 15, 51),
        zone="Europe/Copenhagen",
    ),
    # decimal commas and "." thousands; 3438 steps x 1.52 m / 5.24 = 997: km
    "nb": Case(
        GARMIN_NB,
        {
            "Aktivitetstype": "Løping",
            "Dato": "2026-08-27 18:47:09",
            "Tittel": "Copenhagen",
            "Distanse": "5,24",
            "Tid": "00:19:52",
            "Gjennomsnittlig skrittlengde": "1,52",
            "Skritt": "3.438",
            "Beste rundetid": "00:00:54,9",
        },
        5240.0,
        hms(0, 19, 52),
        datetime(2026, 8, 27, 18, 47, 9),
        zone="Europe/Oslo",
    ),
    # 174 spm x 1.18 m x 48.65 min / 10.05 = 994: km
    "sv": Case(
        GARMIN_SV,
        {
            "Aktivitetstyp": "Löpning",
            "Datum": "2024-12-27 09:18:49",
            "Namn": "Lund Löpning",
            "Distans": "10.05",
            "Tid": "00:48:39",
            "Medelcykelkadens": "174",
            "Medelsteglängd": "1.18",
        },
        10050.0,
        hms(0, 48, 39),
        datetime(2024, 12, 27, 9, 18, 49),
        zone="Europe/Stockholm",
    ),
    # a walk: 1470 steps x 0.78 m / 1.11 = 1033: km
    "pl": Case(
        GARMIN_PL,
        {
            "Typ aktywności": "Chodzenie",
            "Data": "2026-03-24 18:31:51",
            "Tytuł": "Lublin",
            "Dystans": "1.11",
            "Czas": "00:14:27",
            "Średnia długość kroku": "0.78",
            "Kroki": "1,470",
        },
        1110.0,
        hms(0, 14, 27),
        datetime(2026, 3, 24, 18, 31, 51),
        sport=Sport.WALK,
        zone="Europe/Warsaw",
    ),
    # "Átl. pedálütem" twice; 3216 steps x 1.19 m / 3.87 = 989: km
    "hu": Case(
        GARMIN_HU,
        {
            "Tevékenység típusa": "Futás",
            "Dátum": "2024-07-11 09:35:49",
            "Cím": "Velence",
            "Távolság": "3.87",
            "Idő": "00:20:29",
            "Átlagos lépéshossz": "1.19",
            "Lépések": "3,216",
        },
        3870.0,
        hms(0, 20, 29),
        datetime(2024, 7, 11, 9, 35, 49),
        zone="Europe/Budapest",
    ),
    # 3314 steps x 0.90 m / 3.01 = 991: km
    "ko": Case(
        GARMIN_KO,
        {
            "활동 종류": "러닝",
            "날짜": "2026-04-11 08:41:24",
            "제목": "러닝",
            "거리": "3.01",
            "시간": "00:18:07",
            "평균 보폭": "0.90",
            "걸음": "3,314",
        },
        3010.0,
        hms(0, 18, 7),
        datetime(2026, 4, 11, 8, 41, 24),
        zone="Asia/Seoul",
    ),
    # "平均速度" holds the pace; 5660 steps x 1.15 m / 6.55 = 994: km
    "zh": Case(
        GARMIN_ZH,
        {
            "活动类型": "跑步",
            "日期": "2026-08-22 16:14:45",
            "标题": "衢州市 - 基础训练",
            "距离": "6.55",
            "时间": "00:33:02",
            "平均速度": "5:03",
            "平均步长": "1.15",
            "步数": "5,660",
        },
        6550.0,
        hms(0, 33, 2),
        datetime(2026, 8, 22, 16, 14, 45),
        zone="Asia/Shanghai",
    ),
    # the names a reader of the Japanese export matches; 170 x 1.18 x 50 / 10 = 1003: km
    "ja": Case(
        GARMIN_JA,
        {
            "アクティビティタイプ": "トレッドミル",
            "日付": "2025-01-05 07:00:00",
            "タイトル": "朝ラン",
            "距離": "10.00",
            "タイム": "00:50:00",
            "平均ピッチ": "170",
            "平均歩幅": "1.18",
        },
        10000.0,
        hms(0, 50, 0),
        datetime(2025, 1, 5, 7, 0),
        surface=Surface.TREADMILL,
        zone="Asia/Tokyo",
    ),
    # the names the Dutch loader's columns give; 9000 steps x 1.00 m / 9.00 = 1000: km
    "nl": Case(
        GARMIN_NL,
        {
            "Activiteittype": "Hardlopen",
            "Datum": "2025-06-01 09:00:00",
            "Titel": "Rondje",
            "Afstand": "9.00",
            "Tijd": "00:48:00",
            "Gem. staplengte": "1.00",
            "Stappen": "9,000",
        },
        9000.0,
        hms(0, 48, 0),
        datetime(2025, 6, 1, 9, 0),
        zone="Europe/Amsterdam",
    ),
}


@pytest.mark.parametrize("language", sorted(CASES))
def test_garmin_list_in_each_language(language: str) -> None:
    case = CASES[language]
    text = f"{case.header}\n{row(case.header, case.cells)}\n"
    # the Brazilian rides tell no unit: the configured km decide (and a warning says so)
    units = Units.KM if language == "pt" else Units.MI
    parsed = parse_text(text, zone=case.zone, units=units)
    (activity,) = parsed.activities
    assert activity.format == "garmin-csv"
    assert (activity.sport, activity.surface) == (case.sport, case.surface)
    assert activity.distance_m == pytest.approx(case.distance_m)
    assert activity.duration_s == pytest.approx(case.duration_s)
    assert activity.start_local == case.local
    offset = case.local.replace(tzinfo=ZoneInfo(case.zone)).utcoffset()
    assert activity.start_utc == (case.local - offset).replace(tzinfo=UTC)
    if language == "pt":
        assert parsed.warnings == [
            "distance unit not stated and not detectable (no stride "
            "length): read as km, the configured units"
        ]
    else:
        assert parsed.warnings == []


def test_garmin_miles_account_in_each_layout() -> None:
    # the English list of a miles account: 4282 steps x 1.17 m / 3.13 = 1601 m per unit
    cells = dict(CASES["en"].cells, Distance="3.13", **{"Total Ascent": "92"})
    parsed = parse_text(f"{GARMIN_EN}\n{row(GARMIN_EN, cells)}\n", units=Units.KM)
    (run,) = parsed.activities
    assert parsed.warnings == []
    assert run.distance_m == pytest.approx(3.13 * MILE)
    assert run.ascent_m == pytest.approx(92 * 0.3048)  # feet with miles
    # the Danish list of a miles account, stride in metres: 5308 x 1.15 / 3.83 = 1594
    cells = dict(CASES["da"].cells, Distance="3.83")
    (run,) = parse_text(f"{GARMIN_DA}\n{row(GARMIN_DA, cells)}\n", units=Units.KM).activities
    assert run.distance_m == pytest.approx(3.83 * MILE)


def test_garmin_list_without_stride_uses_the_configured_unit_and_says_so() -> None:
    header = "Tipo de actividad,Fecha,Título,Distancia,Tiempo"
    text = f"{header}\nCarrera,2025-05-05 06:45:00,Mañana,6.23,00:55:00\n"
    # 6.23 units in 55:00 is 8:50 per unit: a km or a mile pace alike
    miles = parse_text(text, units=Units.MI)
    assert miles.activities[0].distance_m == pytest.approx(6.23 * MILE)
    assert miles.warnings == [
        "distance unit not stated and not detectable (no stride "
        "length): read as mi, the configured units"
    ]
    km = parse_text(text, units=Units.KM)
    assert km.activities[0].distance_m == pytest.approx(6230.0)


def test_danish_time_as_hours_and_minutes_without_moving_time() -> None:
    header = "Aktivitetstype,Dato,Titel,Distance,Tid"
    text = f"{header}\nLøb,2025-10-31 15:51:00,Lang tur,20.00,1:45\n"
    (run,) = parse_text(text, units=Units.KM).activities
    assert run.duration_s == hms(1, 45, 0)  # not 1 min 45 s
    # the same two-part time in a Swedish list is minutes and seconds (a 1:45 sprint)
    swedish = "Aktivitetstyp,Datum,Namn,Distans,Tid\nLöpning,2025-10-31 15:51:00,x,0.40,1:45\n"
    (run,) = parse_text(swedish, units=Units.KM).activities
    assert run.duration_s == 105.0


def test_traditional_chinese_with_its_duration_column_found_by_contents() -> None:
    header = "活動類型,日期,標題,距離,總時間"
    text = f"{header}\n跑步機,2025-03-01 19:00:00,晚跑,5.00,00:30:00\n"
    parsed = parse_text(text, zone="Asia/Taipei", units=Units.KM)
    (run,) = parsed.activities
    assert (run.sport, run.surface) == (Sport.RUN, Surface.TREADMILL)
    assert (run.distance_m, run.duration_s) == (5000.0, 1800.0)
    assert parsed.warnings[0] == "duration column guessed from its contents: '總時間'"


def test_garmin_unknown_type_words_are_named_and_kept_as_other() -> None:
    header = "Aktivitetstype,Dato,Titel,Distance,Tid i bevægelse"
    text = "\n".join(
        [
            header,
            "Løb,2025-10-01 07:00:00,a,5.00,00:25:00",
            "Kroket,2025-10-02 07:00:00,b,0.00,01:00:00",
            "Kroket,2025-10-03 07:00:00,c,0.00,01:00:00",
            "Løb på bjerg,2025-10-04 07:00:00,d,8.00,00:50:00",
        ]
    )
    parsed = parse_text(text, units=Units.KM)
    assert [a.sport for a in parsed.activities] == [
        Sport.RUN,
        Sport.OTHER,
        Sport.OTHER,
        Sport.OTHER,
    ]
    assert parsed.warnings[-1] == (
        "activity types not understood, kept as other (not counted as runs): "
        "'Kroket' (2 rows), 'Løb på bjerg' (1 row)"
    )


# ---------------------------------------------------------------- Garmin, old layouts


def test_garmin_2015_english_list_with_title_line_and_units_in_cells() -> None:
    # rows quoted from a real 2015 export (the "Garmin + ELK Fun" post)
    text = "\n".join(
        [
            "Activities",
            "Activity Name,Activity Type,Start,Time,Distance,Calories,Elevation Gain,"
            "Training Effect,Avg Speed(Avg Pace),Max Speed(Best Pace),Avg HR,Max HR,"
            "Avg Bike Cadence,Max Bike Cadence,sumStrokes,Avg Run Cadence,Avg Strokes,"
            "Min Strokes,Best SWOLF,Avg SWOLF",
            'Untitled,Lap Swimming,"Wed, Jun 10, 2015 4:44",18:51,"1,000 m",240,--,--,'
            "1:53 min/100 m,1:33 min/100 m,--,--,--,--,480,--,12,--,--,40,",
            'Stockholm Running,Running,"Wed, Jul 15, 2015 6:43",37:20,8.07,615,28,5.0,4:37,3:18,'
            "177,194,--,--,--,84,--,--,--,--,",
        ]
    )
    parsed = parse_text(text, zone="Europe/Stockholm", units=Units.MI)
    swim, run = parsed.activities
    assert parsed.warnings == []
    assert (swim.sport, swim.distance_m, swim.duration_s) == (Sport.SWIM, 1000.0, 1131.0)
    # 37:20 for 8.07 units is 4:38 per unit: km (per mile it would be 2:53/km)
    assert (run.name, run.distance_m, run.duration_s) == ("Stockholm Running", 8070.0, 2240.0)
    assert run.start_local == datetime(2015, 7, 15, 6, 43)
    assert run.start_utc == datetime(2015, 7, 15, 4, 43, tzinfo=UTC)  # CEST, UTC+2


def test_garmin_2012_german_list() -> None:
    text = "\n".join(
        [
            "Aktivitäten",
            "Aktivitätstyp,Start,Zeit,Distanz,Kalorien,Positiver Höhenunterschied",
            'Laufen,"Fr, 25 Mai 2012 20:31",45:00,"10,02",712,--',
            'Laufen,"So, 27 Mai 2012 09:05",1:10:30,"15,50",1.020,"120"',
        ]
    )
    parsed = parse_text(text, zone="Europe/Berlin", units=Units.MI)
    first, second = parsed.activities
    assert parsed.warnings == []
    # 45:00 for 10.02 units is 4:29 per unit: km
    assert (first.distance_m, first.duration_s, first.ascent_m) == (10020.0, 2700.0, None)
    assert first.start_local == datetime(2012, 5, 25, 20, 31)
    assert first.start_utc == datetime(2012, 5, 25, 18, 31, tzinfo=UTC)
    assert (second.distance_m, second.duration_s, second.ascent_m) == (
        15500.0,
        hms(1, 10, 30),
        120.0,
    )
    assert second.start_local.date() == date(2012, 5, 27)


# ---------------------------------------------------------------- the structural fallback

UNKNOWN_HEADER = "Laji,Päivämäärä,Suosikki,Otsikko,Matka,Kalorit,Aika,Keskisyke,Keskitahti"


def test_unknown_language_columns_are_guessed_from_their_contents() -> None:
    text = "\n".join(
        [
            UNKNOWN_HEADER,
            'Running,2025-05-05 06:45:00,false,"Aamu","8.00","500","00:40:00","150","5:00"',
            'Juoksu,2025-05-06 18:10:00,false,"Ilta","10.50","600","00:52:30","152","5:00"',
            'Kuntosali,2025-05-07 06:45:00,false,"Sali","0.00","300","00:45:00","110","--"',
        ]
    )
    parsed = parse_text(text, zone="Europe/Helsinki", units=Units.KM)
    first, second, gym = parsed.activities
    assert parsed.warnings == [
        "columns not recognised by name; guessed from their contents: date = 'Päivämäärä', "
        "distance = 'Matka', duration = 'Aika', type = 'Laji'",
        "distance unit not stated and not detectable (no stride length): read as km, "
        "the configured units",
        "activity types not understood, kept as other (not counted as runs): 'Kuntosali' (1 row)",
    ]
    # 8.00 x 5:00 = 40:00 and 10.50 x 5:00 = 52:30: the pace proves the distance column
    assert (first.sport, first.distance_m, first.duration_s) == (Sport.RUN, 8000.0, 2400.0)
    assert (second.sport, second.distance_m, second.duration_s) == (
        Sport.RUN,
        10500.0,
        hms(0, 52, 30),
    )
    assert second.start_local == datetime(2025, 5, 6, 18, 10)
    assert second.start_utc == datetime(2025, 5, 6, 15, 10, tzinfo=UTC)  # EEST, UTC+3
    assert gym.sport is Sport.OTHER
    assert all(a.format == "csv" for a in parsed.activities)


def test_fallback_imports_nothing_without_a_distance_it_can_prove() -> None:
    # two decimal columns and a pace that fits neither: no distance is certain
    text = "\n".join(
        [
            "A,B,C,D,E",
            "Running,2025-05-05 06:45:00,8.00,3.10,00:40:00",
            "Running,2025-05-06 06:45:00,9.00,3.20,00:45:00",
        ]
    )
    with pytest.raises(UnsupportedFormatError, match="no column of dates with distances"):
        parse_text(text)


# ---------------------------------------------------------------- Strava, layouts and languages

STRAVA_DE = (
    "Aktivitäts-ID,Aktivitätsdatum,Name der Aktivität,Aktivitätsart,Aktivitätsbeschreibung,"
    "Verstrichene Zeit,Distanz,Max. Herzfrequenz,Relative Leistung,Pendeln,"
    "Hinweis zur Privatsphäre für Aktivitäten,Aktivitätsausrüstung,Dateiname,Sportlergewicht,"
    "Fahrradgewicht,Verstrichene Zeit,Bewegungszeit,Distanz,Höchstgeschw.,"
    "Durchschnittliche Geschwindigkeit,Höhenzunahme,Höhenunterschied"
)
STRAVA_FR = (
    "ID de l'activité,Date de l'activité,Nom de l'activité,Type d'activité,"
    "Description de l'activité,Temps écoulé,Distance,Fréquence cardiaque max.,Effort relatif,"
    "Déplacement-transport,Note privée sur les activités,Matériel utilisé pour l'activité,"
    "Nom du fichier,Poids de l'athlète,Poids du vélo,Temps écoulé,Durée de déplacement,"
    "Distance,Vitesse max.,Vitesse moyenne,Dénivelé positif"
)


def cells_row(header: str, values: dict[int, str]) -> str:
    """A data row for ``header`` with the cells at the given indexes, the others empty."""
    cells = [""] * len(next(csv.reader([header])))
    for index, value in values.items():
        cells[index] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


def test_strava_german_export() -> None:
    names = next(csv.reader([STRAVA_DE]))
    assert [i for i, n in enumerate(names) if n == "Distanz"] == [6, 17]
    line = cells_row(
        STRAVA_DE,
        {
            0: "1",
            1: "10.03.2024, 07:30:00",
            2: "Morgenlauf",
            3: "Lauf",
            5: "3100",
            6: "10,02",
            11: "Pegasus",
            12: "activities/1.fit.gz",
            15: "3100,0",
            16: "3000,0",
            17: "10020,0",
            20: "55,0",
            21: "48,0",
        },
    )
    parsed = parse_text(
        f"{STRAVA_DE}\n{line}\n", zone="Europe/Berlin", source="export/activities.csv"
    )
    (run,) = parsed.activities
    assert parsed.warnings == []
    assert (run.format, run.sport, run.name, run.shoe) == (
        "strava-csv",
        Sport.RUN,
        "Morgenlauf",
        "Pegasus",
    )
    assert (run.distance_m, run.duration_s, run.elapsed_s) == (10020.0, 3000.0, 3100.0)
    assert run.ascent_m == 55.0  # Höhenzunahme: "Höhenunterschied" is the loss
    # Strava's dates are UTC: 07:30 UTC is 08:30 in Berlin (CET)
    assert run.start_utc == datetime(2024, 3, 10, 7, 30, tzinfo=UTC)
    assert run.start_local == datetime(2024, 3, 10, 8, 30)
    assert run.linked_file == "export/activities/1.fit.gz"


def test_strava_french_export() -> None:
    line = cells_row(
        STRAVA_FR,
        {
            0: "7",
            1: "10 mars 2024, 07:30:00",
            2: "Sortie",
            3: "Course à pied",
            5: "3100",
            6: "10,02",
            12: "activities/7.gpx",
            15: "3100,0",
            16: "3000,0",
            17: "10020,0",
            20: "55,0",
        },
    )
    parsed = parse_text(f"{STRAVA_FR}\n{line}\n", zone="Europe/Paris")
    (run,) = parsed.activities
    assert parsed.warnings == []
    assert (run.sport, run.distance_m, run.duration_s, run.ascent_m) == (
        Sport.RUN,
        10020.0,
        3000.0,
        55.0,
    )
    assert run.start_local == datetime(2024, 3, 10, 8, 30)


def test_strava_dutch_export_with_dotted_month_names() -> None:
    line = cells_row(
        STRAVA_NL,
        {
            0: "1050466088",
            1: "23 jun. 2017 15:52:12",
            2: "Middagloop",
            3: "Hardloopsessie",
            5: "1459",
            6: "4,73",
            10: "activities/1050466088.gpx",
            13: "1459.0",
            14: "1451.0",
            15: "4731.5",
        },
    )
    parsed = parse_text(f"{STRAVA_NL}\n{line}\n", zone="Europe/Amsterdam")
    (run,) = parsed.activities
    assert (run.sport, run.distance_m, run.duration_s, run.elapsed_s) == (
        Sport.RUN,
        4731.5,
        1451.0,
        1459.0,
    )
    assert run.start_utc == datetime(2017, 6, 23, 15, 52, 12, tzinfo=UTC)
    assert run.start_local == datetime(2017, 6, 23, 17, 52, 12)  # CEST


def test_strava_2018_lowercase_layout_is_in_metres() -> None:
    text = (
        "id,date,name,type,description,elapsed_time,distance,commute,gear,filename\n"
        "1836776031,2018-09-12 15:02:23,Evening Ride,Ride,,783,3681.0,true,Merida,"
        "activities/1836776031.gpx\n"
        "1836776032,2018-09-13 06:00:00,Morning Run,Run,,3000,10020.0,false,Pegasus,"
        "activities/1836776032.gpx\n"
    )
    parsed = parse_text(text, zone="Europe/London", units=Units.MI)
    ride, run = parsed.activities
    assert parsed.warnings == []
    assert (ride.sport, ride.distance_m, ride.elapsed_s) == (Sport.RIDE, 3681.0, 783.0)
    assert (run.sport, run.distance_m, run.shoe) == (Sport.RUN, 10020.0, "Pegasus")
    assert run.start_local == datetime(2018, 9, 13, 7, 0)  # BST


def test_strava_2019_short_layout_in_km_and_in_miles() -> None:
    header = (
        "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,"
        "Elapsed Time,Distance,Commute,Activity Gear,Filename\n"
    )
    # 10.02 units in 40:00 is 3:60 per unit: must be km, whatever the config says
    km = header + '1,"Sep 12, 2018, 3:02:23 PM",Tempo,Run,,2400,10.02,false,,a/1.gpx\n'
    (run,) = parse_text(km, units=Units.MI).activities
    assert run.distance_m == pytest.approx(10020.0)
    # 6.23 units in 50:00 is 8:02 per unit: km or mi; a miles account says mi
    mi = header + '1,"Sep 12, 2018, 3:02:23 PM",Easy,Run,,3000,6.23,false,,a/1.gpx\n'
    parsed = parse_text(mi, units=Units.MI)
    assert parsed.activities[0].distance_m == pytest.approx(6.23 * MILE)  # 10.03 km
    assert "read as mi" in parsed.warnings[0]


def test_strava_long_layout_miles_account_reads_the_metres_column() -> None:
    names = next(csv.reader([STRAVA_EN]))
    line = cells_row(
        STRAVA_EN,
        {
            0: "9",
            1: "May 29, 2022, 3:53:35 PM",
            2: "Run",
            3: "Run",
            5: "3000",
            6: "6.23",  # the display unit: miles
            names.index("Elapsed Time", 6): "3000.0",
            names.index("Moving Time"): "2950.0",
            names.index("Distance", 7): "10026.2",
        },
    )
    parsed = parse_text(f"{STRAVA_EN}\n{line}\n", units=Units.KM)
    (run,) = parsed.activities
    assert parsed.warnings == []
    assert (run.distance_m, run.duration_s, run.elapsed_s) == (10026.2, 2950.0, 3000.0)


def test_strava_unknown_type_words_are_named() -> None:
    header = "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance\n"
    text = header + '1,"Sep 12, 2018, 3:02:23 PM",x,Quidditch,600,0\n'
    parsed = parse_text(text)
    assert parsed.activities[0].sport is Sport.OTHER
    assert parsed.warnings[-1].endswith("'Quidditch' (1 row)")


# ---------------------------------------------------------------- dates in any language


@pytest.mark.parametrize(
    ("text", "languages", "expected"),
    [
        ("Fr, 25 Mai 2012 20:31", ("de",), datetime(2012, 5, 25, 20, 31)),
        ("Wed, Jun 10, 2015 4:44", (), datetime(2015, 6, 10, 4, 44)),
        ("Sep 12, 2018, 3:02:23 PM", (), datetime(2018, 9, 12, 15, 2, 23)),
        ("12 Sept 2024, 07:30:00", (), datetime(2024, 9, 12, 7, 30)),
        ("09.12.2022, 15:24:49", ("de",), datetime(2022, 12, 9, 15, 24, 49)),
        ("10 mars 2024, 07:30:00", ("fr",), datetime(2024, 3, 10, 7, 30)),
        ("mar. 12 mars 2024 07:30", ("fr",), datetime(2024, 3, 12, 7, 30)),
        ("23 jun. 2017 15:52:12", ("nl",), datetime(2017, 6, 23, 15, 52, 12)),
        ("9 mei 2026, 00:03:01", ("nl",), datetime(2026, 5, 9, 0, 3, 1)),
        ("10 de marzo de 2024, 7:30:00", ("es",), datetime(2024, 3, 10, 7, 30)),
        ("2024年3月10日 7:30:00", ("ja",), datetime(2024, 3, 10, 7, 30)),
        ("2024년 3월 10일 오후 7:30", ("ko",), datetime(2024, 3, 10, 19, 30)),
        ("1.4.2024", ("sv",), datetime(2024, 4, 1, 12, 0)),
        # "listopad" is November in Polish and October in Croatian: the language decides
        ("5 listopad 2024 08:00", ("pl",), datetime(2024, 11, 5, 8, 0)),
        ("5 listopad 2024 08:00", ("hr",), datetime(2024, 10, 5, 8, 0)),
    ],
)
def test_dates_in_the_accounts_language(
    text: str, languages: tuple[str, ...], expected: datetime
) -> None:
    assert DateReader([text], languages)(text) == expected


def test_date_reader_picks_the_files_language_from_its_cells() -> None:
    # French Strava dates in a file whose header language is unknown
    cells = ["10 mars 2024, 07:30:00", "mar. 12 mars 2024 07:30"]
    reader = DateReader(cells)
    assert reader.order[0] == "fr"
    assert [reader(c) for c in cells] == [
        datetime(2024, 3, 10, 7, 30),
        datetime(2024, 3, 12, 7, 30),
    ]


def test_header_spellings_never_name_two_columns_in_one_language() -> None:
    # one lookup across languages is only safe if no language uses one spelling twice
    for tables in (GARMIN_HEADERS, STRAVA_HEADERS):
        for language, columns in tables.items():
            seen: dict[str, str] = {}
            for column, spellings in columns.items():
                for spelling in spellings:
                    key = header_key(spelling)
                    pair = {seen.setdefault(key, column), column}
                    # the one deliberate pair: a column that holds pace or speed
                    assert len(pair) == 1 or pair == {"avg_pace", "avg_speed"}, (language, key)


def test_strava_export_in_a_language_without_known_names_is_read_in_its_column_order() -> None:
    # names invented: no Strava header in this language is known. Strava's column order
    # (ID, date, name, type, description, elapsed, distance) and its "activities/<id>"
    # file names are what tell the export apart.
    header = "ident,fecha,nombre,tipo,texto,tiempo,dist,equipo,archivo,tiempo2,mov,dist2"
    rows = [
        # 10.02 shown; 10020.0 in metres: ratio 1000, a km account
        '1,"10 mar 2024, 7:30:00",Mañana,Carrera,,3100,"10,02",,activities/1.fit.gz,'
        '"3100,0","3000,0","10020,0"',
        '2,"12 mar 2024, 18:00:00",Tarde,Carrera,,2000,"6,50",,activities/2.gpx,'
        '"2000,0","1950,0","6500,0"',
        '3,"13 mar 2024, 18:00:00",Piscina,Natación libre,,1800,"1,50",,,'
        '"1800,0","1800,0","1500,0"',
    ]
    parsed = parse_text("\n".join([header, *rows]) + "\n", zone="Europe/Madrid", units=Units.MI)
    first, second, swim = parsed.activities
    assert parsed.warnings == [
        "columns not recognised by name; read in Strava's column order: date = 'fecha', "
        "type = 'tipo', distance = 'dist', metres = 'dist2'",
        "activity types not understood, kept as other (not counted as runs): "
        "'Natación libre' (1 row)",
    ]
    assert (first.format, first.sport) == ("strava-csv", Sport.RUN)
    assert (first.distance_m, first.elapsed_s) == (10020.0, 3100.0)
    assert first.start_utc == datetime(2024, 3, 10, 7, 30, tzinfo=UTC)  # Strava dates are UTC
    assert first.start_local == datetime(2024, 3, 10, 8, 30)  # CET
    assert first.linked_file == "activities/1.fit.gz"
    assert second.distance_m == 6500.0
    assert swim.sport is Sport.OTHER


def test_missing_times_written_as_dashes_are_empty_not_errors() -> None:
    # Garmin writes "--:--:--" for a time it has not got (a real 2026 English export)
    cells = dict(CASES["en"].cells, **{"Moving Time": "--:--:--"})
    parsed = parse_text(f"{GARMIN_EN}\n{row(GARMIN_EN, cells)}\n")
    (run,) = parsed.activities
    assert parsed.warnings == []
    assert run.duration_s == hms(0, 28, 47)


def test_unit_evidence_is_looked_for_over_the_whole_file() -> None:
    # a merged list with every ride first (as a real re-saved Brazilian file is): the
    # runs' stride proves km though they come after the first 500 rows
    header = "Activity Type,Date,Title,Distance,Time,Avg Stride Length,Steps"
    rides = [
        f"Cycling,2025-01-{1 + d % 28:02d} 07:00:00,Ride,20.00,01:00:00,--,--" for d in range(600)
    ]
    # 9000 steps x 1.00 m / 9.00 = 1000 m per unit; 6:00 per unit fits km and mi alike
    runs = [f'Running,2025-03-{d:02d} 07:00:00,Run,9.00,00:54:00,1.00,"9,000"' for d in range(1, 4)]
    parsed = parse_text("\n".join([header, *rides, *runs]) + "\n", units=Units.MI)
    assert parsed.warnings == []
    assert parsed.activities[-1].distance_m == pytest.approx(9000.0)
    assert parsed.activities[0].distance_m == pytest.approx(20000.0)


def test_strava_german_row_with_mixed_number_formats() -> None:
    # a real row (geo-activity-playground issue #86): the shown distance has a decimal
    # comma, the metric columns a point; its name, the local time, shows the date is UTC
    row_text = (
        '8228026758,"09.12.2022, 15:24:49",2022-12-09 16:24,Radfahrt,"bewölkt",3189,'
        '"9,44",,,true,"",Patria,activities/8228026758.gpx,,20.0,3189.0,2070.0,'
        "9440.5,,,33.0,30.0"
    )
    parsed = parse_text(f"{STRAVA_DE}\n{row_text}\n", zone="Europe/Berlin")
    (ride,) = parsed.activities
    assert parsed.warnings == []
    assert (ride.sport, ride.distance_m, ride.duration_s, ride.elapsed_s, ride.shoe) == (
        Sport.RIDE,
        9440.5,
        2070.0,
        3189.0,
        "Patria",
    )
    assert ride.start_local == datetime(2022, 12, 9, 16, 24, 49)


def test_no_type_word_means_two_things_across_languages() -> None:
    # every language's type words share one lookup: a word must mean one type in all
    from loadwatch.ingest.classify import TYPE_KEYS, type_key
    from loadwatch.ingest.importers.csv_vocabulary import GARMIN_TYPES, STRAVA_TYPES

    for tables in (GARMIN_TYPES, STRAVA_TYPES):
        for language, words in tables.items():
            for word, key in words.items():
                assert key in TYPE_KEYS, (language, word, key)
                assert type_key(word) == key, (language, word)


@pytest.mark.parametrize(
    "text",
    [
        # the current Garmin list without a stride column
        "Activity Type,Date,Title,Distance,Time\nRunning,2025-05-05 06:45:00,x,6.23,00:55:00\n",
        # the 2012-2016 Garmin list
        "Activities\nActivity Name,Activity Type,Start,Time,Distance,Calories\n"
        'x,Running,"Mon, May 5, 2025 6:45",55:00,6.23,500\n',
        # the 2019 Strava layout (one Distance column)
        "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance\n"
        '1,"May 5, 2025, 6:45:00 AM",x,Run,3300,6.23\n',
    ],
)
@pytest.mark.parametrize("units", [Units.MI, Units.KM])
def test_each_layout_without_evidence_reads_the_configured_unit(text: str, units: Units) -> None:
    # 6.23 units in 55:00 is 8:50 per unit: a km and a mile pace alike
    parsed = parse_text(text, units=units)
    (run,) = parsed.activities
    assert run.distance_m == pytest.approx(6.23 * (MILE if units is Units.MI else 1000.0))
    assert run.duration_s == 3300.0 or run.elapsed_s == 3300.0
    # said once, naming the unit assumed
    said = [w for w in parsed.warnings if "configured units" in w]
    assert len(said) == 1 and said[0].endswith(f"read as {units.value}, the configured units")
