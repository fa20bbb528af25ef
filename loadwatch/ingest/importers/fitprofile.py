"""The small part of the FIT profile the fast summary path needs.

Names and numbers follow fitparse 1.2's profile exactly (not the newest Garmin
SDK): the fast path must produce the values the fitparse importer produces, so a
product the SDK has since named still shows as a number here, as it does there.
``tests/test_fitfast.py`` checks every entry against fitparse's own profile.
"""

from __future__ import annotations

from typing import NamedTuple

FILE_ID = 0
SPORT = 12
SESSION = 18
LAP = 19
RECORD = 20
DEVICE_INFO = 23
ACTIVITY = 34
FIELD_DESCRIPTION = 206
DEVELOPER_DATA_ID = 207

#: seconds between the Unix epoch and FIT's (1989-12-31T00:00:00Z)
FIT_EPOCH = 631065600


class BaseType(NamedTuple):
    name: str
    #: struct format letter; ``s`` for strings, ``B`` for byte arrays
    fmt: str
    size: int
    #: the "no value" pattern, or None where the type has a rule of its own
    invalid: int | None
    is_int: bool


def _base(name: str, fmt: str, size: int, invalid: int | None, is_int: bool = True) -> BaseType:
    return BaseType(name, fmt, size, invalid, is_int)


BASE_TYPES: dict[int, BaseType] = {
    0x00: _base("enum", "B", 1, 0xFF),
    0x01: _base("sint8", "b", 1, 0x7F),
    0x02: _base("uint8", "B", 1, 0xFF),
    0x83: _base("sint16", "h", 2, 0x7FFF),
    0x84: _base("uint16", "H", 2, 0xFFFF),
    0x85: _base("sint32", "i", 4, 0x7FFFFFFF),
    0x86: _base("uint32", "I", 4, 0xFFFFFFFF),
    0x07: _base("string", "s", 1, None, is_int=False),
    0x88: _base("float32", "f", 4, None, is_int=False),
    0x89: _base("float64", "d", 8, None, is_int=False),
    0x0A: _base("uint8z", "B", 1, 0),
    0x8B: _base("uint16z", "H", 2, 0),
    0x8C: _base("uint32z", "I", 4, 0),
    0x0D: _base("byte", "B", 1, None, is_int=False),
    0x8E: _base("sint64", "q", 8, 0x7FFFFFFFFFFFFFFF),
    0x8F: _base("uint64", "Q", 8, 0xFFFFFFFFFFFFFFFF),
    0x90: _base("uint64z", "Q", 8, 0),
}
STRING = 0x07
BYTE = 0x0D


def _enum(text: str) -> dict[int, str]:
    """``"0 a b 7 c"`` -> {0: "a", 1: "b", 7: "c"}: a number restarts the count."""
    table: dict[int, str] = {}
    code = 0
    for token in text.split():
        if token.isdigit():
            code = int(token)
        else:
            table[code] = token
            code += 1
    return table


FILE_TYPES = _enum("""
    1 device settings sport activity workout course schedules 9 weight totals goals 14
    blood_pressure monitoring_a 20 activity_summary 28 monitoring_daily 32 monitoring_b 34
    segment segment_list 40 exd_configuration 247 mfg_range_min 254 mfg_range_max
""")

SPORTS = _enum("""
    0 generic running cycling transition fitness_equipment swimming basketball soccer tennis
    american_football training walking cross_country_skiing alpine_skiing snowboarding
    rowing mountaineering hiking multisport paddling flying e_biking motorcycling boating
    driving golf hang_gliding horseback_riding hunting fishing inline_skating rock_climbing
    sailing ice_skating sky_diving snowshoeing snowmobiling stand_up_paddleboarding surfing
    wakeboarding water_skiing kayaking rafting windsurfing kitesurfing tactical jumpmaster
    boxing floor_climbing 254 all
""")

SUB_SPORTS = _enum("""
    0 generic treadmill street trail track spin indoor_cycling road mountain downhill
    recumbent cyclocross hand_cycling track_cycling indoor_rowing elliptical stair_climbing
    lap_swimming open_water flexibility_training strength_training warm_up match exercise
    challenge indoor_skiing cardio_training indoor_walking e_bike_fitness bmx casual_walking
    speed_walking bike_to_run_transition run_to_bike_transition swim_to_bike_transition atv
    motocross backcountry resort rc_drone wingsuit whitewater skate_skiing yoga pilates
    indoor_running gravel_cycling e_bike_mountain commuting mixed_surface navigate track_me
    map single_gas_diving multi_gas_diving gauge_diving apnea_diving apnea_hunting
    virtual_activity obstacle 254 all
""")

MANUFACTURERS = _enum("""
    1 garmin garmin_fr405_antfs zephyr dayton idt srm quarq ibike saris spark_hk tanita
    echowell dynastream_oem nautilus dynastream timex metrigear xelic beurer cardiosport
    a_and_d hmm suunto thita_elektronik gpulse clean_mobile pedal_brain peaksware saxonar
    lemond_fitness dexcom wahoo_fitness octane_fitness archinoetics the_hurt_box
    citizen_systems magellan osynce holux concept2 42 one_giant_leap ace_sensor
    brim_brothers xplova perception_digital bf1systems pioneer spantec metalogics 4iiiis
    seiko_epson seiko_epson_oem ifor_powell maxwell_guider star_trac breakaway
    alatech_technology_ltd mio_technology_europe rotor geonaute id_bike specialized wtek
    physical_enterprises north_pole_engineering bkool cateye stages_cycling sigmasport
    tomtom peripedal wattbike 76 moxy ciclosport powerbahn acorn_projects_aps lifebeam
    bontrager wellgo scosche magura woodway elite nielsen_kellerman dk_city tacx
    direction_technology magtonic 1partcarbon inside_ride_technologies sound_of_motion stryd
    icg MiPulse bsx_athletics look campagnolo_srl body_bike_smart praxisworks
    limits_technology topaction_technology cosinuss fitcare magene giant_manufacturing_co
    tigrasport salutron technogym bryton_sensors latitude_limited soaring_technology
    igpsport thinkrider gopher_sport waterrower orangetheory inpeak kinetic
    johnson_health_tech polar_electro seesense 255 development 257 healthandlife lezyne
    scribe_labs zwift watteam recon favero_electronics dynovelo strava precor bryton sram
    navman cobi spivi mio_magellan evesports sensitivus_gauge podoon life_time_fitness
    falco_e_motors minoura cycliq luxottica trainer_road the_sufferfest fullspeedahead
    virtualtraining feedbacksports omata vdo magneticdays hammerhead kinetic_by_kurt
    shapelog dabuziduo jetblack 5759 actigraphcorp
""")

GARMIN_PRODUCTS = _enum("""
    1 hrm1 axh01 axb01 axb02 hrm2ss dsi_alf02 hrm3ss hrm_run_single_byte_product_id bsm bcm
    axs01 hrm_tri_single_byte_product_id 14 fr225_single_byte_product_id 473 fr301_china
    fr301_japan fr301_korea 494 fr301_taiwan 717 fr405 782 fr50 987 fr405_japan fr60 1011
    dsi_alf01 1018 fr310xt 1036 edge500 1124 fr110 1169 edge800 1199 edge500_taiwan 1213
    edge500_japan 1253 chirp 1274 fr110_japan 1325 edge200 1328 fr910xt 1333 edge800_taiwan
    edge800_japan 1341 alf04 1345 fr610 1360 fr210_japan 1380 vector_ss vector_cp 1386
    edge800_china edge500_china 1410 fr610_japan 1422 edge500_korea 1436 fr70 1446
    fr310xt_4t 1461 amx 1482 fr10 1497 edge800_korea 1499 swim 1537 fr910xt_china 1551 fenix
    1555 edge200_taiwan 1561 edge510 1567 edge810 1570 tempe 1600 fr910xt_japan 1623 fr620
    1632 fr220 1664 fr910xt_korea 1688 fr10_japan 1721 edge810_japan 1735 virb_elite
    edge_touring 1742 edge510_japan hrm_tri 1752 hrm_run 1765 fr920xt 1821 edge510_asia
    edge810_china edge810_taiwan 1836 edge1000 vivo_fit 1853 virb_remote 1885 vivo_ki 1903
    fr15 1907 vivo_active 1918 edge510_korea 1928 fr620_japan fr620_china fr220_japan
    fr220_china 1936 approach_s6 1956 vivo_smart 1967 fenix2 1988 epix 2050 fenix3 2052
    edge1000_taiwan edge1000_japan 2061 fr15_japan 2067 edge520 2070 edge1000_china 2072
    fr620_russia fr220_russia 2079 vector_s 2100 edge1000_korea 2130 fr920xt_taiwan
    fr920xt_china fr920xt_japan 2134 virbx vivo_smart_apac 2140 etrex_touch 2147 edge25 fr25
    2150 vivo_fit2 2153 fr225 2156 fr630 fr230 2160 vivo_active_apac vector_2 vector_2s 2172
    virbxe fr620_taiwan fr220_taiwan truswing 2188 fenix3_china fenix3_twn 2192
    varia_headlight varia_taillight_old 2204 edge_explore_1000 2219 fr225_asia 2225
    varia_radar_taillight varia_radar_display 2238 edge20 2262 d2_bravo 2266 approach_s20
    2276 varia_remote 2327 hrm4_run 2337 vivo_active_hr 2347 vivo_smart_gps_hr vivo_smart_hr
    2368 vivo_move 2398 varia_vision 2406 vivo_fit3 2413 fenix3_hr 2417 virb_ultra_30 2429
    index_smart_scale 2431 fr235 fenix3_chronos 2441 oregon7xx 2444 rino7xx 2496 nautix 2530
    edge_820 edge_explore_820 2544 fenix5s 2547 d2_bravo_titanium 2567 varia_ut800 2593
    running_dynamics_pod 2604 fenix5x 2606 vivo_fit_jr 2691 fr935 2697 fenix5 10007 sdm4
    10014 edge_remote 20119 training_center 65531 connectiq_simulator android_antplus_plugin
    65534 connect
""")

ENUMS: dict[str, dict[int, str]] = {
    "file": FILE_TYPES,
    "sport": SPORTS,
    "sub_sport": SUB_SPORTS,
    "manufacturer": MANUFACTURERS,
    "garmin_product": GARMIN_PRODUCTS,
}


class SubField(NamedTuple):
    """A field read under another name when a sibling field holds a given raw value."""

    name: str
    kind: str
    scale: float | None
    #: (def_num of the sibling field, raw value it must hold), any of them
    when: tuple[tuple[int, int], ...]


class Field(NamedTuple):
    name: str
    #: a number ("number"), "string", "date_time", "local_date_time", or an ENUMS key
    kind: str = "number"
    scale: float | None = None
    offset: float | None = None
    subfields: tuple[SubField, ...] = ()


_GARMIN_MADE = ((1, 1), (1, 15), (1, 13))  # manufacturer garmin, dynastream, dynastream_oem


def _totals(sport: int, sub_sport: int, **numbers: int) -> dict[int, Field]:
    """Session and lap carry the same totals under different field numbers."""
    running = ((sport, 1),)
    return {
        numbers["start_time"]: Field("start_time", "date_time"),
        sport: Field("sport", "sport"),
        sub_sport: Field("sub_sport", "sub_sport"),
        numbers["total_elapsed_time"]: Field("total_elapsed_time", scale=1000),
        numbers["total_timer_time"]: Field("total_timer_time", scale=1000),
        numbers["total_distance"]: Field("total_distance", scale=100),
        numbers["avg_cadence"]: Field(
            "avg_cadence", subfields=(SubField("avg_running_cadence", "number", None, running),)
        ),
        numbers["total_ascent"]: Field("total_ascent"),
        numbers["avg_fractional_cadence"]: Field("avg_fractional_cadence", scale=128),
        253: Field("timestamp", "date_time"),
    }


#: the fields the fast path decodes, per message; every other field is stepped over
MESSAGES: dict[int, dict[int, Field]] = {
    FILE_ID: {
        0: Field("type", "file"),
        1: Field("manufacturer", "manufacturer"),
        2: Field(
            "product", subfields=(SubField("garmin_product", "garmin_product", None, _GARMIN_MADE),)
        ),
        3: Field("serial_number"),
        4: Field("time_created", "date_time"),
        5: Field("number"),
        8: Field("product_name", "string"),
    },
    SPORT: {
        0: Field("sport", "sport"),
        1: Field("sub_sport", "sub_sport"),
        3: Field("name", "string"),
    },
    SESSION: _totals(
        5,
        6,
        start_time=2,
        total_elapsed_time=7,
        total_timer_time=8,
        total_distance=9,
        avg_cadence=18,
        total_ascent=22,
        avg_fractional_cadence=92,
    ),
    LAP: _totals(
        25,
        39,
        start_time=2,
        total_elapsed_time=7,
        total_timer_time=8,
        total_distance=9,
        avg_cadence=17,
        total_ascent=21,
        avg_fractional_cadence=80,
    ),
    ACTIVITY: {
        0: Field("total_timer_time", scale=1000),
        5: Field("local_timestamp", "local_date_time"),
        253: Field("timestamp", "date_time"),
    },
    RECORD: {
        5: Field("distance", scale=100),
        253: Field("timestamp", "date_time"),
    },
}
#: messages listed with every field fitparse's profile knows, so that the fields
#: it does not know are exactly those fitparse calls ``unknown_<number>``
COMPLETE = frozenset({FILE_ID})

# Rules that keep the fast path from stepping over a message fitparse would choke
# on: fitparse converts these fields in every message it reads, and fails on
# arrays, strings, floats or out-of-range values there.
TIMESTAMP_DEF = 253
#: date_time fields other than the ubiquitous 253 timestamp, as (message, field)
DATE_TIME_FIELDS = frozenset(
    {
        (0, 4),
        (2, 39),
        (15, 2),
        (15, 3),
        (18, 2),
        (19, 2),
        (28, 3),
        (32, 1),
        (72, 4),
        (101, 2),
        (128, 9),
        (129, 1),
        (129, 2),
        (142, 2),
        (160, 6),
        (162, 1),
        (174, 6),
        (187, 1),
        (187, 3),
        (225, 6),
        (225, 254),
        (227, 1),
    }
)
#: local_date_time fields: fitparse fails on the raw value 0x10000000 (named "min")
LOCAL_DATE_TIME_FIELDS = frozenset({(28, 6), (34, 5), (55, 11), (103, 0), (162, 3)})
LOCAL_DATE_TIME_MIN = 0x10000000
#: seconds into the day: fitparse fails from 86400 on
TIME_OF_DAY_FIELDS = frozenset({(3, 28), (3, 29)})
#: fields fitparse splits into components (it fails on strings, floats and numeric
#: arrays there), with the names the components are given in decoded messages
COMPONENT_FIELDS: dict[tuple[int, int], tuple[str, ...]] = {
    (18, 14): ("enhanced_avg_speed",),
    (18, 15): ("enhanced_max_speed",),
    (18, 49): ("enhanced_avg_altitude",),
    (18, 50): ("enhanced_max_altitude",),
    (18, 71): ("enhanced_min_altitude",),
    (19, 13): ("enhanced_avg_speed",),
    (19, 14): ("enhanced_max_speed",),
    (19, 42): ("enhanced_avg_altitude",),
    (19, 43): ("enhanced_max_altitude",),
    (19, 62): ("enhanced_min_altitude",),
    (20, 2): ("enhanced_altitude",),
    (20, 6): ("enhanced_speed",),
    (20, 8): ("distance", "speed"),
    (20, 18): ("total_cycles",),
    (20, 28): ("accumulated_power",),
    # messages the fast path never decodes: only the rule above applies
    (21, 2): (),
    (21, 3): (),
    (55, 24): (),
    (80, 2): (),
    (81, 2): (),
    (132, 1): (),
    (132, 10): (),
    (201, 1): (),
    (202, 1): (),
}
