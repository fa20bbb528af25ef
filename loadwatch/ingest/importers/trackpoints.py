"""One GPS segment's distance, time span and climb, with position and clock faults left out.

A damaged file or a GPS fault can put one point hundreds of kilometres away (a
flipped digit in a latitude), give one point a time hours off, or spike one
altitude. Summed naively, one such point turns a 10 km run into a 2,000 km one.
The segment is read with one point of look-ahead, so each point is judged
against the accepted point before it and the point after it:

* **Position.** A point is a *teleport* when reaching it from the point before
  and leaving it for the point after both imply more than ``TELEPORT_SPEED_MS``
  and the detour through it is more than twice the direct way: the runner cannot
  have gone there and back. A single jump that the track then continues from
  (GPS re-acquired after a tunnel) is kept, as is any fast but straight motion.
  The first and the last point are teleports when their one step is impossible
  while the track around it is not.
* **Time.** A point whose time is earlier than the accepted point before it, or
  later than the point after it while those two are in order, has a wrong clock:
  its time is ignored (its position still counts). A last point more than a day
  after the one before it is ignored the same way.
* **Altitude.** An altitude that jumps more than ``ELEVATION_JUMP_M`` (plus
  ``CLIMB_RATE_MS`` per second) away from both neighbours, in opposite
  directions, is ignored.

On a clean recording nothing is left out, and the sums are exactly gpxpy's
(``length_2d``, the smoothed ``uphill`` and the first-to-last duration).
"""

from __future__ import annotations

import math
from datetime import datetime

from gpxpy.geo import distance as gpxpy_distance

#: faster than any vehicle a runner's watch rides in: between two neighbouring
#: points this is a position fault, not motion
TELEPORT_SPEED_MS = 50.0
#: times less than this apart are judged as this far apart (GPS logs whole seconds)
MIN_STEP_S = 1.0
#: a final point this long after the one before is a clock fault, not a recording
LAST_POINT_GAP_S = 86400.0
ELEVATION_JUMP_M = 50.0
CLIMB_RATE_MS = 10.0
#: a track is a planned route with made-up times when its point-to-point speed
#: varies less than this (relative standard deviation) over at least SYNTHETIC_STEPS
SYNTHETIC_SPREAD = 0.02
#: ...or less than this when it also starts exactly on the hour
SYNTHETIC_SPREAD_ON_THE_HOUR = 0.10
SYNTHETIC_STEPS = 10


class _Point:
    __slots__ = ("lat", "lon", "seconds", "moment", "ele")

    def __init__(self, lat: float, lon: float, moment: datetime | None, ele: float | None) -> None:
        self.lat = lat
        self.lon = lon
        self.moment = moment
        self.seconds = None if moment is None else moment.timestamp()
        self.ele = ele


def _step(a: _Point, b: _Point) -> float:
    # argument order matters: gpxpy takes the cosine of the later point's latitude
    return gpxpy_distance(b.lat, b.lon, None, a.lat, a.lon, None)


def _fast(metres: float, a: _Point, b: _Point) -> bool:
    """Whether going from ``a`` to ``b`` implies an impossible speed (unknown times: no)."""
    if a.seconds is None or b.seconds is None:
        return False
    return metres > TELEPORT_SPEED_MS * max(b.seconds - a.seconds, MIN_STEP_S)


class SegmentFilter:
    """Feed a segment's points in order with ``add``, then ``close`` it once."""

    def __init__(self) -> None:
        self.points = 0
        self.distance_m = 0.0
        #: points left out of the distance, and how much they would have added
        self.teleports = 0
        self.teleport_m = 0.0
        #: point times and altitudes ignored as faults
        self.bad_times = 0
        self.bad_elevations = 0
        self.first_time: datetime | None = None
        self.last_time: datetime | None = None
        self.uphill_m = 0.0
        self.elevations = 0
        self._prev: _Point | None = None
        self._cur: _Point | None = None
        self._to_cur = 0.0
        self._accepted_steps = 0
        # gpxpy smooths each altitude with its neighbours (0.3, 0.4, 0.3) before
        # summing climbs; with the last two raw values at hand it is done in step
        self._ele_before_last = 0.0
        self._ele_last = 0.0
        self._smoothed: float | None = None
        self._last_ele_seconds: float | None = None
        # Welford's running mean and variance of point-to-point speed
        self._speeds = 0
        self._speed_mean = 0.0
        self._speed_m2 = 0.0

    # -- feeding -----------------------------------------------------------

    def add(self, lat: float, lon: float, moment: datetime | None, ele: float | None) -> None:
        self.points += 1
        nxt = _Point(lat, lon, moment, ele)
        prev, cur = self._prev, self._cur
        if cur is None:
            self._cur = nxt
            return
        if prev is None:
            self._start(cur, nxt)
            return
        self._check_time(cur, nxt)
        to_next = _step(cur, nxt)
        if _fast(self._to_cur, prev, cur) and _fast(to_next, cur, nxt):
            direct = _step(prev, nxt)
            if self._to_cur + to_next > 2.0 * direct:
                self.teleports += 1
                self.teleport_m += self._to_cur + to_next - direct
                self._cur, self._to_cur = nxt, direct
                return
        self._accept(cur, self._to_cur, nxt)
        self._cur, self._to_cur = nxt, to_next

    def _start(self, first: _Point, second: _Point) -> None:
        """The first point becomes the anchor once the second one is known."""
        self._check_first_time(first, second)
        self._prev = first
        self._take_time(first)
        self._take_elevation(first, second)
        self._cur, self._to_cur = second, _step(first, second)

    def close(self) -> None:
        cur, prev = self._cur, self._prev
        if cur is None:
            return
        if prev is None:  # a one-point segment
            self._take_time(cur)
            self._take_elevation(cur, None)
        else:
            if (
                prev.seconds is not None
                and cur.seconds is not None
                and cur.seconds - prev.seconds > LAST_POINT_GAP_S
            ):
                self.bad_times += 1
                cur.moment = cur.seconds = None
            if _fast(self._to_cur, prev, cur) and self._accepted_steps:
                self.teleports += 1
                self.teleport_m += self._to_cur
            else:
                self._accept(cur, self._to_cur, None)
        self._cur = None
        if self.elevations >= 2:
            self._smooth(self._ele_last)

    # -- deciding ------------------------------------------------------------

    def _check_first_time(self, first: _Point, second: _Point) -> None:
        if first.seconds is None or second.seconds is None:
            return
        if first.seconds > second.seconds or second.seconds - first.seconds > LAST_POINT_GAP_S:
            # the first point cannot be checked against an earlier one: when it is
            # out of line with the second, its own clock is the likelier fault
            self.bad_times += 1
            first.moment = first.seconds = None

    def _check_time(self, cur: _Point, nxt: _Point) -> None:
        if cur.seconds is None:
            return
        before = self.last_time.timestamp() if self.last_time is not None else None
        after = nxt.seconds
        backwards = before is not None and cur.seconds < before
        in_order = before is None or (after is not None and before <= after)
        overtakes = after is not None and cur.seconds > after and in_order
        if backwards or overtakes:
            self.bad_times += 1
            cur.moment = cur.seconds = None

    def _accept(self, point: _Point, metres: float, nxt: _Point | None) -> None:
        prev = self._prev
        assert prev is not None
        if metres:
            self.distance_m += metres
        self._accepted_steps += 1
        if prev.seconds is not None and point.seconds is not None:
            elapsed = point.seconds - prev.seconds
            if elapsed > 0:
                self._speed(metres / elapsed)
        self._take_time(point)
        self._take_elevation(point, nxt)
        self._prev = point

    def _take_time(self, point: _Point) -> None:
        if point.moment is None:
            return
        if self.first_time is None:
            self.first_time = point.moment
        self.last_time = point.moment

    def _take_elevation(self, point: _Point, nxt: _Point | None) -> None:
        ele = point.ele
        if ele is None:
            return
        if self.elevations and self._elevation_spike(point, nxt):
            self.bad_elevations += 1
            return
        self.elevations += 1
        if self.elevations == 1:
            self._smooth(ele)
        elif self.elevations >= 3:
            self._smooth(self._ele_before_last * 0.3 + self._ele_last * 0.4 + ele * 0.3)
        self._ele_before_last, self._ele_last = self._ele_last, ele
        self._last_ele_seconds = point.seconds

    def _elevation_spike(self, point: _Point, nxt: _Point | None) -> bool:
        """Whether ``point``'s altitude leaps away from the last one and straight back."""
        ele = point.ele
        if ele is None or nxt is None or nxt.ele is None:
            return False

        def allowed(a: float | None, b: float | None) -> float:
            span = 0.0 if a is None or b is None else abs(b - a)
            return ELEVATION_JUMP_M + CLIMB_RATE_MS * span

        up = ele - self._ele_last
        down = nxt.ele - ele
        return (
            abs(up) > allowed(self._last_ele_seconds, point.seconds)
            and abs(down) > allowed(point.seconds, nxt.seconds)
            and (up > 0) != (down > 0)
        )

    def _smooth(self, value: float) -> None:
        if self._smoothed is not None and value > self._smoothed:
            self.uphill_m += value - self._smoothed
        self._smoothed = value

    def _speed(self, value: float) -> None:
        self._speeds += 1
        delta = value - self._speed_mean
        self._speed_mean += delta / self._speeds
        self._speed_m2 += delta * (value - self._speed_mean)

    # -- results ----------------------------------------------------------------

    @property
    def span_s(self) -> float | None:
        if self.first_time is None or self.last_time is None:
            return None
        return (self.last_time - self.first_time).total_seconds()

    def speed_spread(self) -> float | None:
        """Relative standard deviation of point-to-point speed (None: too few steps)."""
        if self._speeds < SYNTHETIC_STEPS or self._speed_mean <= 0:
            return None
        return math.sqrt(self._speed_m2 / self._speeds) / self._speed_mean

    def looks_synthetic(self) -> bool:
        """Whether the times were made up by a route planner: one constant speed throughout."""
        spread = self.speed_spread()
        if spread is None:
            return False
        if spread < SYNTHETIC_SPREAD:
            return True
        start = self.first_time
        on_the_hour = start is not None and start.minute == start.second == 0
        return on_the_hour and spread < SYNTHETIC_SPREAD_ON_THE_HOUR
