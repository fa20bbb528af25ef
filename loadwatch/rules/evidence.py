"""Sources and grades behind each rule, and the heel-care sentences rules share.

Grades follow the project's science notes: A = randomised trial or large
prospective cohort, B = smaller cohort or meta-analysis of case-control data,
C = cross-sectional, lab or one small study, D = convention or opinion. A grade
marked "null" means good evidence that the measure did *not* predict injury.

Severity follows the evidence (science notes, section 9): a warning is for what a
clinician would act on, a caution for a measured association, and tradition or
weak evidence is information. Each finding says why it has its level.
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
        "Nielsen et al. 2014, JOSPT 44(10):739-47 (HR 1.59, 95% CI 0.96-2.66, for "
        "distance-related injuries, which did not include heel injuries); Damsted et al. "
        "2019, JOSPT 49(4):230-8; no week-to-week effect in Frandsen et al. 2025"
    ),
    grade="B/C",
)
SESSION_SPIKE = Evidence(
    source="Frandsen et al. 2025, Br J Sports Med 59(17):1203-10 (5,205 runners)",
    grade="A",
)
PREVIOUS_INJURY = (
    "Lagas et al. 2020, J Sci Med Sport 23(5):448-52: Achilles tendinopathy in the previous "
    "12 months, odds ratio 6.3 (3.9-10.0) for another"
)
RETURN_AFTER_BREAK = Evidence(
    source="Convention; Frandsen et al. 2025 had no reference run after 30 days off",
    grade="D",
)
REST_DAYS = Evidence(
    source="Convention in heel-pain self-care guidance; see Foster 1998 on monotony",
    grade="D",
)
SURFACE_CHANGE = Evidence(
    source="HSE Ireland heel-pain guidance; Martin et al. 2014, JOSPT 44(11):A1-33",
    grade="C/D",
)
TREADMILL = Evidence(
    source=(
        "Willy et al. 2016, JOSPT (18 runners: 12.5% higher peak Achilles force per step, "
        "14.2% more Achilles load per km on a treadmill; no injury outcome)"
    ),
    grade="C",
)
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
        "Gabbett 2016, Br J Sports Med 50:273-80; Windt & Gabbett 2019 (uncoupled ratio); "
        "criticised by Lolli et al. 2019 and Impellizzeri et al. 2020"
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

#: the severity a rule's evidence earns, in words the findings end with
INFO_TRADITION = (
    "Information: the 10% figure is a tradition; a randomised trial of a 10%-based plan "
    "found no fewer injuries."
)
INFO_WEAK = "Information: the evidence behind this measure is weak or indirect."
INFO_CONVENTION = "Information: this is convention in self-care guidance, not a measured risk."
INFO_CONTESTED = "Information only: the measure is contested and predicts injury poorly."
CAUTION_JUMP = (
    "Caution: rises over 30% went with more injuries in newer runners in some studies, "
    "though not significantly and not for heel injuries in particular."
)
CAUTION_SPIKE = (
    "Caution: a run over 10% longer than the month's longest is the clearest training "
    "signal in a large cohort (about 1.5 to 1.6 times the injury rate)."
)
WARNING_SPIKE = (
    "Warning: runs more than double the month's longest went with about 2.3 times the "
    "injury rate in the same cohort."
)
INFO_SHORT_REFERENCE = (
    "Information: the longest run it is compared with is under {km:g} km, where a "
    "percentage says little."
)
