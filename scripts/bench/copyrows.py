# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
"""Rows in PostgreSQL's COPY text format, and the COPY loader.

A row template is a row the ORM wrote, read back with COPY ... TO STDOUT: every
column keeps the ORM's exact text except the columns named as slots, which each
generated row fills in. So columns nobody thought about (a field another module
adds later) still carry what the ORM wrote.
"""

import datetime
import decimal
import io
import queue
import threading
import types

import psycopg2

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
NULL = "\\N"


def text(value):
    """A Python value in COPY text format."""
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).translate(_ESCAPES)


def money(cents):
    """Cents as a numeric text with two decimals."""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def cents(value_text):
    """Numeric text with at most two decimals -> integer cents."""
    amount = decimal.Decimal(value_text) * 100
    if amount != amount.to_integral_value():
        raise ValueError(f"{value_text} has more than two decimals")
    return int(amount)


def columns(cr, table):
    cr.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass "
        "AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
        [table],
    )
    return [row[0] for row in cr.fetchall()]


def foreign_keys(cr, table):
    """column -> referenced table, for single-column foreign keys of `table`."""
    cr.execute(
        """
        SELECT a.attname, c.confrelid::regclass::text
          FROM pg_constraint c
          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
         WHERE c.contype = 'f' AND c.conrelid = %s::regclass
           AND array_length(c.conkey, 1) = 1
        """,
        [table],
    )
    return dict(cr.fetchall())


def read_rows(cr, table, where, params=(), order="id"):
    """Rows of `table` matching `where`, as dicts of COPY texts."""
    names = columns(cr, table)
    query = cr.mogrify(
        f"COPY (SELECT * FROM {table} WHERE {where} ORDER BY {order}) TO STDOUT",
        params,
    )
    buffer = io.StringIO()
    cr.copy_expert(query.decode() if isinstance(query, bytes) else query, buffer)
    rows = []
    for line in buffer.getvalue().splitlines():
        rows.append(dict(zip(names, line.split("\t"), strict=True)))
    return rows


class RowTemplate:
    """Rows shaped like `base`; only the `slots` columns change.

    A row is made from a dict holding exactly the slot values, already in COPY
    text (see text() and money()).
    """

    def __init__(self, table, names, base, slots):
        missing = [slot for slot in slots if slot not in names]
        if missing:
            raise KeyError(f"{table} has no column {', '.join(missing)}")
        self.table = table
        self.columns = names
        self.slots = frozenset(slots)
        parts = []
        for name in names:
            if name in self.slots:
                parts.append(f"%({name})s")
            else:
                parts.append(base[name].replace("%", "%%"))
        self.format = "\t".join(parts) + "\n"
        self.checked = False

    def __call__(self, values):
        if not self.checked:
            if set(values) != self.slots:
                raise KeyError(
                    f"{self.table}: slots {sorted(self.slots)} != {sorted(values)}"
                )
            self.checked = True
        return self.format % values


class Loader:
    """Streams COPY batches to PostgreSQL from threads, one connection each.

    Python builds the next batch while the server ingests the previous ones;
    tables are spread over the connections so that two server processes index
    rows at once. Foreign keys are not checked row by row
    (session_replication_role = replica): verify.py checks every one of them
    afterwards, set-based. finish() commits every connection.
    """

    def __init__(self, db, route, connections=2, depth=4):
        self.route = route
        self.rows = {}
        self.workers = []
        for _number in range(connections):
            cnx = psycopg2.connect(dbname=db)
            cr = cnx.cursor()
            cr.execute("SET session_replication_role = replica")
            cr.execute("SET synchronous_commit = off")
            worker = types.SimpleNamespace(
                cnx=cnx, cr=cr, queue=queue.Queue(maxsize=depth), error=None
            )
            worker.thread = threading.Thread(
                target=self._run, args=[worker], daemon=True
            )
            worker.thread.start()
            self.workers.append(worker)

    @staticmethod
    def _run(worker):
        while True:
            item = worker.queue.get()
            if item is None:
                return
            if worker.error:
                continue
            table, names, data = item
            try:
                worker.cr.copy_expert(
                    f"COPY {table} ({', '.join(names)}) FROM STDIN",
                    io.BytesIO(data.encode()),
                    size=1 << 20,
                )
            except Exception as error:
                worker.error = error

    def _raise(self):
        for worker in self.workers:
            if worker.error:
                raise worker.error

    def put(self, template, rows):
        self.put_raw(template.table, template.columns, rows)

    def put_raw(self, table, names, rows):
        self._raise()
        if not rows:
            return
        self.rows[table] = self.rows.get(table, 0) + len(rows)
        worker = self.workers[self.route(table) % len(self.workers)]
        worker.queue.put((table, names, "".join(rows)))

    def finish(self):
        """Wait until every batch is in, then commit."""
        for worker in self.workers:
            worker.queue.put(None)
        for worker in self.workers:
            worker.thread.join()
        try:
            self._raise()
            for worker in self.workers:
                worker.cnx.commit()
        finally:
            for worker in self.workers:
                worker.cnx.close()

    def abort(self):
        for worker in self.workers:
            worker.queue.put(None)
        for worker in self.workers:
            worker.thread.join()
            worker.cnx.close()
