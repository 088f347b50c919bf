"""Moodle's quiz statistics over a table of marks (docs/statistics.md has the formulas).

The input is a *sheet*: for each attempt, the mark and the maximum mark of every
question it contained. An attempt's total is the sum of its marks, so an unanswered
question counts as 0, as it does in the attempt's score. Questions drawn at random
are analysed over the attempts that contained them, like Moodle's random slots.
Variances and covariances divide by S - 1 (sample statistics), as Moodle does.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

# attempt id -> question key -> (mark, max mark)
Sheet = Mapping[Hashable, Mapping[Hashable, tuple[float, float]]]


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


def _cov(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Sample covariance (S - 1 in the denominator); None with fewer than two values."""
    count = len(xs)
    if count < 2:
        return None
    mx, my = _mean(xs), _mean(ys)
    return math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / (count - 1)


def _clean(value: float | None) -> float | None:
    """Rounding noise below 1e-12 is zero: a constant column must read as zero variance."""
    if value is None:
        return None
    return 0.0 if abs(value) < 1e-12 else value


def totals(sheet: Sheet) -> dict[Hashable, tuple[float, float]]:
    """Each attempt's total mark and maximum total."""
    return {
        attempt: (math.fsum(m for m, _ in row.values()), math.fsum(x for _, x in row.values()))
        for attempt, row in sheet.items()
    }


def item_stats(sheet: Sheet) -> list[ItemStats]:
    """Per-question statistics, in the order questions first appear in the sheet."""
    sums = totals(sheet)
    columns: dict[Hashable, list[tuple[float, float, float, float]]] = {}
    for attempt, row in sheet.items():
        total, max_total = sums[attempt]
        for key, (mark, max_mark) in row.items():
            columns.setdefault(key, []).append((mark, max_mark, total, max_total))

    partial = []
    for key, rows in columns.items():
        marks = [r[0] for r in rows]
        max_mark = max(r[1] for r in rows)
        overall = [r[2] for r in rows]
        rest = [r[2] - r[0] for r in rows]
        variance = _clean(_cov(marks, marks))
        rest_variance = _clean(_cov(rest, rest))
        covariance = _cov(marks, rest)
        # The largest covariance these two sets of values can have: pair them sorted.
        covariance_max = _clean(_cov(sorted(marks), sorted(rest)))
        with_overall = _clean(_cov(marks, overall))
        facility = 100.0 * _mean(marks) / max_mark if max_mark else None
        sd = (100.0 * math.sqrt(variance) / max_mark
              if variance is not None and max_mark else None)
        mean_max_total = _mean([r[3] for r in rows])
        intended = 100.0 * max_mark / mean_max_total if mean_max_total else None
        discrimination = (
            100.0 * covariance / math.sqrt(variance * rest_variance)
            if covariance is not None and variance and rest_variance else None
        )
        efficiency = (100.0 * covariance / covariance_max
                      if covariance is not None and covariance_max else None)
        partial.append((key, len(rows), max_mark, facility, sd, intended, with_overall,
                        discrimination, efficiency))

    # Effective weights share out the square roots of the non-negative covariances
    # with the total; a question with a negative one has no effective weight.
    root_sum = math.fsum(math.sqrt(p[6]) for p in partial if p[6] is not None and p[6] >= 0)
    result = []
    for key, count, max_mark, facility, sd, intended, with_overall, disc, eff in partial:
        effective = (100.0 * math.sqrt(with_overall) / root_sum
                     if root_sum and with_overall is not None and with_overall >= 0 else None)
        result.append(ItemStats(key, count, max_mark, facility, sd, intended, effective,
                                disc, eff))
    return result


def quiz_stats(sheet: Sheet) -> QuizStats:
    """Mean, median, spread, shape and reliability of the attempt totals."""
    sums = list(totals(sheet).values())
    count = len(sums)
    if not count:
        return QuizStats(0, 0.0, None, None, None, None, None, None, None, None)
    marks = sorted(t for t, _ in sums)
    max_total = _mean([m for _, m in sums])
    mean = _mean(marks)
    middle = count // 2
    median = marks[middle] if count % 2 else (marks[middle - 1] + marks[middle]) / 2
    sd = skewness = kurtosis = cic = error_ratio = standard_error = None
    if count > 1:
        power2 = math.fsum((x - mean) ** 2 for x in marks)
        power3 = math.fsum((x - mean) ** 3 for x in marks)
        power4 = math.fsum((x - mean) ** 4 for x in marks)
        sd = math.sqrt(power2 / (count - 1))
        m2, m3, m4 = power2 / count, power3 / count, power4 / count
        k2 = _clean(count * m2 / (count - 1))
        if count > 2 and k2:
            k3 = count * count * m3 / ((count - 1) * (count - 2))
            skewness = k3 / k2 ** 1.5
            if count > 3:
                k4 = (count * count * ((count + 1) * m4 - 3 * (count - 1) * m2 * m2)
                      / ((count - 1) * (count - 2) * (count - 3)))
                kurtosis = k4 / (k2 * k2)
            items = {key for row in sheet.values() for key in row}
            if len(items) > 1:
                cic, error_ratio, standard_error = _reliability(sheet, len(items), k2, sd)
    return QuizStats(count, max_total, mean, median, sd, skewness, kurtosis, cic,
                     error_ratio, standard_error)


def _reliability(
    sheet: Sheet, questions: int, k2: float, sd: float
) -> tuple[float, float | None, float | None]:
    columns: dict[Hashable, list[float]] = {}
    for row in sheet.values():
        for key, (mark, _max) in row.items():
            columns.setdefault(key, []).append(mark)
    mark_variance = math.fsum(_cov(c, c) or 0.0 for c in columns.values())
    cic = 100.0 * questions / (questions - 1) * (1.0 - mark_variance / k2)
    if cic > 100.0:
        return cic, None, None
    # A negative coefficient still has an error ratio above 100%: the test measures noise.
    error_ratio = 100.0 * math.sqrt(1.0 - cic / 100.0)
    return cic, error_ratio, error_ratio * sd / 100.0


def analyse(sheet: Sheet) -> tuple[QuizStats, list[ItemStats]]:
    return quiz_stats(sheet), item_stats(sheet)
