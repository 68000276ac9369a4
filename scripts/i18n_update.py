# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
"""Merge the freshly exported .pot into every .po of the module.

Keeps existing translations, adds new terms untranslated, drops obsolete ones,
and prints how many terms of each language still need a translation.
Usage: python scripts/i18n_update.py <i18n folder>
"""

import sys
from pathlib import Path

import polib

HEADERS = {
    "zh_CN": "Chinese (Simplified) / 简体中文",
    "zh_TW": "Chinese (Traditional) / 繁體中文",
}


def main(folder):
    folder = Path(folder)
    pot = polib.pofile(str(folder / "sale_process_control.pot"))
    missing_total = 0
    for lang in HEADERS:
        path = folder / f"{lang}.po"
        po = polib.pofile(str(path)) if path.exists() else polib.POFile()
        po.merge(pot)
        po.metadata = dict(pot.metadata)
        po.metadata.update(
            {
                "Language": lang,
                "Content-Type": "text/plain; charset=UTF-8",
                "Content-Transfer-Encoding": "",
                "Plural-Forms": "",
            }
        )
        po.header = (
            "Translation of Odoo Server.\n"
            "This file contains the translation of the following modules:\n"
            f"\t* sale_process_control\n{HEADERS[lang]}"
        )
        # Obsolete entries only add noise to the reviewed files.
        for entry in po.obsolete_entries():
            po.remove(entry)
        po.save(str(path))
        missing = [e for e in po if not e.msgstr or "fuzzy" in e.flags]
        missing_total += len(missing)
        print(f"{lang}: {len(po)} terms, {len(missing)} untranslated or fuzzy")
    return 1 if missing_total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
