# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
"""Calendar windows of the visit cadence (R-06), one definition for all.

Calendar windows
----------------
A tier's cadence (``sale.customer.tier.visit_interval``) asks for at least one
done visit in each calendar window of the customer:

* ``weekly``: ISO weeks, Monday to Sunday (a week across the new year belongs
  to one window, whatever the ISO week-year says);
* ``biweekly``: fixed two-week windows, Monday to Sunday of the next week,
  anchored on Monday 2001-01-01 (the first day of ISO week 1 of 2001): a window
  starts on every Monday whose distance in days from the anchor is a multiple
  of 14;
* ``monthly``: calendar months.

The functions below are the one definition of these windows. The compliance
report builds them in SQL with :func:`window_start_sql`, which a test compares
with :func:`window_start` day by day; the daily job and the overdue search
compute today's windows here and pass them to their SQL.

Due and overdue (one definition for the customer, the daily job and the report)
--------------------------------------------------------------------------------
Windows count from the window in which the customer was created. A window is
*met* when it holds at least one done visit (by the visit date).

* Next due date: the end of the current window when it is not met yet, else
  the end of the next window.
* Overdue: the current window is not met, and the previous window ended without
  being met (only when the customer already existed then).
* The daily job gives the customer's salesperson one "visit due" activity in
  each window that is neither met nor holds a planned visit, at most one per
  window (a log of reminders guards this even after the activity was done or
  deleted).
"""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo.tools import SQL

# Monday 2001-01-01, first day of ISO week 1 of 2001: anchor of two-week windows.
BIWEEKLY_ANCHOR = date(2001, 1, 1)
WINDOW_INTERVALS = ("weekly", "biweekly", "monthly")


# ----------------------------------------------------------------------
# Calendar windows
# ----------------------------------------------------------------------
def window_start(day, interval):
    """First day of the ``interval`` window holding ``day``."""
    if interval == "weekly":
        return day - timedelta(days=day.weekday())
    if interval == "biweekly":
        # Python's modulo is never negative: right before the anchor too.
        return day - timedelta(days=(day - BIWEEKLY_ANCHOR).days % 14)
    if interval == "monthly":
        return day.replace(day=1)
    raise ValueError(f"No calendar window for the visit interval {interval!r}")


def next_window_start(day, interval):
    """First day of the window after the one holding ``day``."""
    start = window_start(day, interval)
    if interval == "monthly":
        return start + relativedelta(months=1)
    return start + timedelta(days=7 if interval == "weekly" else 14)


def window_end(day, interval):
    """Last day (inclusive) of the window holding ``day``."""
    return next_window_start(day, interval) - timedelta(days=1)


def previous_window_start(day, interval):
    """First day of the window before the one holding ``day``."""
    return window_start(window_start(day, interval) - timedelta(days=1), interval)


def window_start_sql(day, interval):
    """SQL expression of :func:`window_start` for SQL expressions ``day`` (a
    date) and ``interval`` (the text of a visit interval)."""
    return SQL(
        """(CASE %(interval)s
            WHEN 'weekly' THEN date_trunc('week', (%(day)s)::timestamp)::date
            WHEN 'biweekly' THEN (%(day)s)::date
                - mod(mod((%(day)s)::date - %(anchor)s::date, 14) + 14, 14)
            ELSE date_trunc('month', (%(day)s)::timestamp)::date
        END)""",
        interval=interval,
        day=day,
        anchor=BIWEEKLY_ANCHOR,
    )


def window_step_sql(interval):
    """SQL interval of one window for the SQL text ``interval``."""
    return SQL(
        """(CASE %(interval)s
            WHEN 'weekly' THEN interval '1 week'
            WHEN 'biweekly' THEN interval '2 weeks'
            ELSE interval '1 month'
        END)""",
        interval=interval,
    )
