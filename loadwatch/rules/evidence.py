"""Sources and grades behind each rule, and the heel-care sentences rules share.

Grades follow the project's science notes: A = randomised trial or large
prospective cohort, B = smaller cohort or meta-analysis of case-control data,
C = cross-sectional, lab or one small study, D = convention or opinion. A grade
marked "null" means good evidence that the measure did *not* predict injury.
"""

from __future__ import annotations

from loadwatch.rules.findings import Evidence

TEN_PERCENT_RULE = Evidence(
    source=(
        "Buist et al. 2008, Am J Sports Med 36(1):33-9 (randomised trial: a 10%-based "
        "plan did not reduce injuries); Fredette et al. 2022, J Athl Train 57(7):650-71"
    ),
    grade="A (null)",
)
LARGE_WEEKLY_JUMP = Evidence(
    source=(
        "Nielsen et al. 2014, JOSPT 44(10):739-47; Damsted et al. 2019, JOSPT 49(4):230-8; "
        "no week-to-week effect in Frandsen et al. 2025"
    ),
    grade="B/C",
)
SESSION_SPIKE = Evidence(
    source="Frandsen et al. 2025, Br J Sports Med 59(17):1203-10 (5,205 runners)",
    grade="A",
)
RETURN_AFTER_BREAK = Evidence(
    source="Convention; Frandsen et al. 2025 had no reference run after 30 days off",
    grade="D",
)
REST_DAYS = Evidence(
    source="Convention in heel-pain self-care guidance; see Foster 1998 on monotony",
    grade="D",
)
HARD_SURFACE = Evidence(
    source=(
        "Martin et al. 2014, JOSPT 44(11):A1-33 (heel-pain guideline: poor shock "
        "absorption as a risk factor); not confirmed by Knobloch et al. 2008"
    ),
    grade="C/D",
)
SURFACE_CHANGE = Evidence(
    source="HSE Ireland heel-pain guidance; Martin et al. 2014, JOSPT 44(11):A1-33",
    grade="C/D",
)
TREADMILL_ACHILLES = "Willy et al. 2016 (JOSPT) measured about 12% more peak Achilles force"
TRACK_SHARE = Evidence(
    source="Hotta et al. 2016, J Sports Med Phys Fitness 56(9):1021-5 (347 runners)",
    grade="C",
)
MONOTONY = Evidence(
    source="Foster 1998, Med Sci Sports Exerc 30(7):1164-8 (illness, not injury)",
    grade="D",
)
ACWR = Evidence(
    source=(
        "Williams et al. 2017, Br J Sports Med 51(3):209-10; Gabbett 2016; criticised by "
        "Lolli et al. 2019 and Impellizzeri et al. 2020"
    ),
    grade="D (contested)",
)
HIGH_VOLUME = Evidence(
    source="Plesek et al. 2025, Med Sci Sports Exerc 57(4):756-66",
    grade="B/C",
)

#: the guidance's threshold for seeking help, in one wording used everywhere
SEE_A_PROFESSIONAL = (
    "If heel or Achilles pain lasts more than two weeks, see a physiotherapist, GP or podiatrist."
)
SORE_HEEL_CARE = (
    "If a heel is sore afterwards, rest from running for a day or two and ice it for up "
    "to 20 minutes at a time."
)
STRETCH = "Stretch your calves and the plantar fascia (the band under the foot) after runs."
REST_WEEKLY = "Mix hard and easy days and keep at least one rest day a week."
