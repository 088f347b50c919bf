"""Moodle's quiz statistics (docs/statistics.md has the formulas and a worked example).

Every per-question figure is a function of a few sums over the attempts that
contained the question (`ItemSums`): the marks, their squares, the attempt totals,
their squares, marks times totals, and marks times "rest of the test" after sorting
both. The service has the database compute those sums with one GROUP BY; the tests
and small callers build them from a *sheet* (attempt -> question -> (mark, maximum))
with `sums_from_sheet`. Both paths then share the formulas below.

An attempt's total is the sum of its marks, so an unanswered question counts as 0,
as it does in the attempt's score. Questions drawn at random are analysed over the
attempts that contained them, like Moodle's random slots. Variances and covariances
divide by S - 1 (sample statistics), as Moodle does.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import mul

# attempt id -> question key -> (mark, max mark)
Sheet = Mapping[Hashable, Mapping[Hashable, tuple[float, float]]]


@dataclass(frozen=True)
class ItemSums:
    """Sums over the S attempts that contained one question (x: its mark, t: the
    attempt's total, r = t - x: the rest of the test)."""

    key: Hashable
    count: int  # S
    max_mark: float
    max_total: float  # the mean maximum total of those attempts
    x: float  # Σx
    xx: float  # Σx²
    t: float  # Σt
    tt: float  # Σt²
    xt: float  # Σxt
    sorted_xr: float  # Σ x(i)·r(i), the i-th smallest mark times the i-th smallest rest


@dataclass(frozen=True)
class ItemStats:
    """One question's statistics; percentages, None where a formula is undefined."""

    key: Hashable
    count: int  # attempts that contained the question
    max_mark: float
    facility: float | None  # mean mark as a % of the maximum
    sd: float | None  # standard deviation of the mark, as a % of the maximum
    intended_weight: float | None  # the question's maximum as a % of the attempt's
    effective_weight: float | None  # its share of the spread of totals, in %
    discrimination: float | None  # 100 × correlation of the mark with the rest of the test
    efficiency: float | None  # discrimination as a % of the most the marks allow
    variance: float | None = None  # of the mark, in marks² (for Cronbach's alpha)


@dataclass(frozen=True)
class QuizStats:
    """Whole-quiz statistics of the attempt totals (marks, and % of the maximum)."""

    count: int
    max_total: float  # the mean of the attempts' maximum totals
    mean: float | None
    median: float | None
    sd: float | None
    skewness: float | None
    kurtosis: float | None
    cic: float | None  # coefficient of internal consistency (Cronbach's alpha), in %
    error_ratio: float | None  # in %
    standard_error: float | None  # in marks

    def percent(self, marks: float | None) -> float | None:
        if marks is None or not self.max_total:
            return None
        return 100.0 * marks / self.max_total


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def _clean(value: float, scale: float) -> float:
    """Rounding noise is zero: a constant column must read as zero variance, not 1e-17."""
    return 0.0 if abs(value) <= 1e-9 * max(1.0, abs(scale)) else value


# -- sums -----------------------------------------------------------------------------------
def totals(sheet: Sheet) -> dict[Hashable, tuple[float, float]]:
    """Each attempt's total mark and maximum total."""
    return {
        attempt: (math.fsum(m for m, _ in row.values()), math.fsum(x for _, x in row.values()))
        for attempt, row in sheet.items()
    }


# (mark, attempt total, how many attempts had exactly these two)
Cell = tuple[float, float, int]


def sums_from_counts(
    key: Hashable, max_mark: float, max_total: float, cells: Sequence[Cell]
) -> ItemSums:
    """One question's sums from how many attempts had each (mark, total) pair.

    This is what the database hands over (a GROUP BY on question, mark and total), so
    200 attempts of a one-mark question arrive as a few dozen rows. The sorted pairing
    walks the marks and the rests in ascending order, a block of equal values at a time.
    """
    count = sum(n for _x, _t, n in cells)
    x = math.fsum(m * n for m, _t, n in cells)
    xx = math.fsum(m * m * n for m, _t, n in cells)
    t = math.fsum(tot * n for _m, tot, n in cells)
    tt = math.fsum(tot * tot * n for _m, tot, n in cells)
    xt = math.fsum(m * tot * n for m, tot, n in cells)
    marks = _blocks((m, n) for m, _t, n in cells)
    rests = _blocks((tot - m, n) for m, tot, n in cells)
    products = []
    mi = ri = 0
    mark_left, rest_left = marks[0][1] if marks else 0, rests[0][1] if rests else 0
    while mi < len(marks) and ri < len(rests):
        step = min(mark_left, rest_left)
        products.append(marks[mi][0] * rests[ri][0] * step)
        mark_left -= step
        rest_left -= step
        if not mark_left:
            mi += 1
            mark_left = marks[mi][1] if mi < len(marks) else 0
        if not rest_left:
            ri += 1
            rest_left = rests[ri][1] if ri < len(rests) else 0
    return ItemSums(key, count, max_mark, max_total, x, xx, t, tt, xt, math.fsum(products))


def _blocks(values: Iterable[tuple[float, int]]) -> list[tuple[float, int]]:
    """Equal values merged, in ascending order: [(value, how many)]."""
    merged: dict[float, int] = {}
    for value, n in values:
        merged[value] = merged.get(value, 0) + n
    return sorted(merged.items())


def sums_from_sheet(sheet: Sheet) -> list[ItemSums]:
    """The sums of every question, in the order questions first appear in the sheet."""
    sums = totals(sheet)
    cells: dict[Hashable, dict[tuple[float, float], int]] = {}
    tops: dict[Hashable, list[float]] = {}
    for attempt, row in sheet.items():
        total, max_total = sums[attempt]
        for key, (mark, max_mark) in row.items():
            counter = cells.setdefault(key, {})
            counter[(mark, total)] = counter.get((mark, total), 0) + 1
            top = tops.setdefault(key, [0.0, 0.0, 0])
            top[0] = max(top[0], max_mark)
            top[1] += max_total
            top[2] += 1
    return [
        sums_from_counts(key, tops[key][0], tops[key][1] / tops[key][2],
                         [(m, tot, n) for (m, tot), n in counter.items()])
        for key, counter in cells.items()
    ]


# -- per question ---------------------------------------------------------------------------
def _item(s: ItemSums) -> tuple[ItemStats, float | None]:
    """The statistics of one question, and its covariance with the total."""
    n = s.count
    facility = 100.0 * s.x / n / s.max_mark if n and s.max_mark else None
    intended = 100.0 * s.max_mark / s.max_total if s.max_total else None
    if n < 2:
        return ItemStats(s.key, n, s.max_mark, facility, None, intended, None, None, None), None
    var_x = _clean((s.xx - s.x * s.x / n) / (n - 1), s.xx / n)
    var_t = _clean((s.tt - s.t * s.t / n) / (n - 1), s.tt / n)
    cov_xt = _clean((s.xt - s.x * s.t / n) / (n - 1), s.tt / n)
    # With r = t - x: var(r) = var(t) - 2 cov(x, t) + var(x), cov(x, r) = cov(x, t) - var(x).
    var_r = _clean(var_t - 2 * cov_xt + var_x, s.tt / n)
    cov_xr = _clean(cov_xt - var_x, s.tt / n)
    # The largest covariance these marks and rests could have: both sorted, then paired.
    cov_max = _clean((s.sorted_xr - s.x * (s.t - s.x) / n) / (n - 1), s.tt / n)
    sd = 100.0 * math.sqrt(var_x) / s.max_mark if s.max_mark else None
    discrimination = (100.0 * cov_xr / math.sqrt(var_x * var_r)
                      if var_x > 0 and var_r > 0 else None)
    efficiency = 100.0 * cov_xr / cov_max if cov_max else None
    stats = ItemStats(s.key, n, s.max_mark, facility, sd, intended, None, discrimination,
                      efficiency, var_x)
    return stats, cov_xt


def item_stats_from_sums(sums: Sequence[ItemSums]) -> list[ItemStats]:
    computed = [_item(s) for s in sums]
    # Effective weights share out the square roots of the non-negative covariances
    # with the total; a question with a negative one has no effective weight.
    root_sum = math.fsum(math.sqrt(c) for _s, c in computed if c is not None and c >= 0)
    result = []
    for stats, cov in computed:
        effective = (100.0 * math.sqrt(cov) / root_sum
                     if root_sum and cov is not None and cov >= 0 else None)
        result.append(ItemStats(stats.key, stats.count, stats.max_mark, stats.facility,
                                stats.sd, stats.intended_weight, effective,
                                stats.discrimination, stats.efficiency, stats.variance))
    return result


def item_stats(sheet: Sheet) -> list[ItemStats]:
    """Per-question statistics, in the order questions first appear in the sheet."""
    return item_stats_from_sums(sums_from_sheet(sheet))


# -- the whole quiz -------------------------------------------------------------------------
def quiz_stats_from(
    scores: Sequence[float], max_total: float, items: Sequence[ItemStats]
) -> QuizStats:
    """Mean, median, spread, shape and reliability of the attempt totals; `items` gives
    the questions' mark variances for Cronbach's alpha."""
    count = len(scores)
    if not count:
        return QuizStats(0, 0.0, None, None, None, None, None, None, None, None)
    marks = sorted(scores)
    mean = _mean(marks)
    middle = count // 2
    median = marks[middle] if count % 2 else (marks[middle - 1] + marks[middle]) / 2
    sd = skewness = kurtosis = cic = error_ratio = standard_error = None
    if count > 1:
        deviations = [x - mean for x in marks]
        squares = [d * d for d in deviations]
        power2 = math.fsum(squares)
        power3 = math.fsum(map(mul, squares, deviations))
        power4 = math.fsum(map(mul, squares, squares))
        sd = math.sqrt(power2 / (count - 1))
        m2, m3, m4 = power2 / count, power3 / count, power4 / count
        k2 = _clean(count * m2 / (count - 1), mean * mean)
        if count > 2 and k2:
            k3 = count * count * m3 / ((count - 1) * (count - 2))
            skewness = k3 / k2 ** 1.5
            if count > 3:
                k4 = (count * count * ((count + 1) * m4 - 3 * (count - 1) * m2 * m2)
                      / ((count - 1) * (count - 2) * (count - 3)))
                kurtosis = k4 / (k2 * k2)
            if len(items) > 1:
                cic, error_ratio, standard_error = _reliability(items, k2, sd)
    return QuizStats(count, max_total, mean, median, sd, skewness, kurtosis, cic,
                     error_ratio, standard_error)


def _reliability(
    items: Sequence[ItemStats], k2: float, sd: float
) -> tuple[float, float | None, float | None]:
    questions = len(items)
    mark_variance = math.fsum(item.variance or 0.0 for item in items)
    cic = 100.0 * questions / (questions - 1) * (1.0 - mark_variance / k2)
    if cic > 100.0:
        return cic, None, None
    # A negative coefficient still has an error ratio above 100%: the test measures noise.
    error_ratio = 100.0 * math.sqrt(1.0 - cic / 100.0)
    return cic, error_ratio, error_ratio * sd / 100.0


def quiz_stats(sheet: Sheet) -> QuizStats:
    return analyse(sheet)[0]


def analyse(sheet: Sheet) -> tuple[QuizStats, list[ItemStats]]:
    items = item_stats(sheet)
    sums = list(totals(sheet).values())
    max_total = _mean([m for _t, m in sums]) if sums else 0.0
    return quiz_stats_from([t for t, _m in sums], max_total, items), items
