"""The disclosure-control gateway: every figure a person sees in Youth Voice passes through here.

Why figures are sometimes hidden, in plain English
--------------------------------------------------
Young people answer anonymously, but the people most able to work out who said what are
the adults closest to them: a worker with a caseload of eight who knows whom they invited
last week. So every number, chart, quote and export follows these rules (requirements.md
section 2, SDC-01 to SDC-12):

- **At least 10 young people behind every figure** (SDC-02). A team, worker or answer
  with fewer shows "fewer than 10" instead of a number. The 10 ("k") can be raised per
  deployment but never set below 5. It counts young people, not answers or messages.
- **Percentages only out of 10 or more** (SDC-03), as whole numbers. Shares are of those
  who answered the question; "skipped" and "prefer not to say" are shown as counts, under
  the same rules as any other count.
- **No "100%" or "0%" for small groups** (SDC-04). In a group of fewer than 20 (2k),
  "all of them said X" or "none of them said X" would tell everyone what each person said.
  Such shares show as "almost all" or "very few", which always cover both "all" and "all
  but one" (and "none" and "one"), so the words never give it away. Before a small group's
  shares are shown, the gateway checks that they cannot be added up to the same answer; if
  they can, it shows word bands only, and if even that gives it away, "hidden: answers too
  alike to show safely". The mean is dropped first, because it can betray the same thing.
- **Hidden to protect another group** (SDC-05). If team B is hidden but the organisation
  total and team A are shown, B = total - A. So when a figure is hidden, more figures are
  hidden (smallest first) until what could be worked out by subtraction covers at least
  10 people. The same protects who skipped, who preferred not to say, who mentioned each
  theme, and the shares themselves.
- **Rounded to 5 below organisation level** (SDC-06): team and worker counts are rounded
  to the nearest 5; totals are added up from the real numbers first, then rounded.
  Organisation-level counts are exact, and shown only when 10 or more.
- **Whole calendar months or quarters, after they end** (SDC-07, SDC-09). There are no
  date ranges, "last 30 days" or live counters: a period shows "not yet available" until it
  is over, so nobody can watch a number change after sending an invite. A deployment uses
  months or quarters, never both, so a quarter can't be subtracted from its months.
- **A fixed list of views** (SDC-08): the organisation, each team, and (only if turned on)
  each worker, per period. No free filters to combine.
- **Workers' own results are off by default** (SDC-10). When turned on, a worker sees only
  bands ("10–19 young people", "most said mostly or totally"), never exact figures or quotes.
- **Quotes for reviewers only** (SDC-11): at most three, in random order, with no date,
  team or age, only from groups of 10 or more, long enough (40 characters) and barely
  touched by the name scrubber. Managers see themes with counts instead.
- **Exports are the screen** (SDC-12): a CSV holds exactly the cells the page shows.
- **Small, fixed noise below the organisation** (SDC-14, issue 10). Every team count is
  moved by at most 2 by its cell key, the same way every time it is shown, so someone who
  pads a team with check-ins of their own and subtracts them cannot read back a real young
  person's answers. The organisation's figures are the sums of its teams' (`cellkey.py`).
- **One check of everything before anything is shown** (issue 10). All of a period's
  figures, on every page, export, trend, theme table and the safety report, are worked out
  together and solved the way a determined reader would; anything that could still be
  pinned down is hidden too (`book.py`, `auditor.py`).
- **When in doubt, show nothing** (SEC-19): if anything goes wrong inside the gateway, the
  page says "not available" rather than showing unprotected numbers.

Use: build one `Gateway(GatewaySettings(...), today=..., rng=..., noise=CellKeys(...))` in
the composition root; pass it a period's counts already grouped by the database
(`PeriodInputs`) and read every page of that period from the `PeriodView` it returns,
rendering the `Cell.text` of what comes back.
"""

# The package root is the one import point for callers (SDC-01: one gateway module).
from reports.gateway.book import PeriodInputs, ThemeCounts
from reports.gateway.cellkey import CellKeys
from reports.gateway.cells import Cell
from reports.gateway.config import K_FLOOR, GatewayConfigError, GatewaySettings
from reports.gateway.gateway import Gateway, PeriodCounts
from reports.gateway.inputs import ItemCounts, Population, QuoteCandidate, Scope
from reports.gateway.periods import Period, closed_periods, containing, is_closed, months
from reports.gateway.results import (
    ItemReport,
    Quote,
    Row,
    Table,
    Trend,
    TrendPoint,
    WorkerItem,
    WorkerView,
)
from reports.gateway.view import PeriodView, trend

__all__ = [
    "K_FLOOR",
    "Cell",
    "CellKeys",
    "Gateway",
    "GatewayConfigError",
    "GatewaySettings",
    "ItemCounts",
    "ItemReport",
    "Period",
    "PeriodCounts",
    "PeriodInputs",
    "PeriodView",
    "Population",
    "Quote",
    "QuoteCandidate",
    "Row",
    "Scope",
    "Table",
    "ThemeCounts",
    "Trend",
    "TrendPoint",
    "WorkerItem",
    "WorkerView",
    "closed_periods",
    "containing",
    "is_closed",
    "months",
    "trend",
]
